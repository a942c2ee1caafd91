// The import sources that read the workstation: clouds.yaml (+ secure.yaml) from
// openstacksdk's search path or from a file the user picked, and GOVC_* / OS_* variables.
import { YAMLParseError } from 'yaml'
import { PortholeError } from '../../../../contract/errors'
import { isRecord, type CandidateSet } from './candidate'
import {
  cloudsOf,
  configFileCandidates,
  deepMerge,
  displayPath,
  openstackConfigDirs,
  parseConfigText,
  readFirstConfig,
  type SearchContext,
} from './clouds-files'
import { govcCandidates } from './govc-environment'
import { cloudToCandidate } from './openstack-cloud'
import { environmentCloud } from './openstack-environment'

interface CloudFiles {
  clouds: Record<string, unknown>
  set: CandidateSet
}

/** clouds.yaml with secure.yaml merged over it, from the search path. */
async function readCloudFiles(ctx: SearchContext): Promise<CloudFiles> {
  const set: CandidateSet = { candidates: [], skipped: [], sources: [] }
  const display = (file: string): string => displayPath(file, ctx)
  const main = await readFirstConfig(configFileCandidates(ctx, 'clouds'), display)
  const secure = await readFirstConfig(configFileCandidates(ctx, 'secure'), display)
  for (const problem of [...main.problems, ...secure.problems]) set.skipped.push({ name: 'file', reason: problem })
  let data = main.found?.data ?? {}
  if (main.found) set.sources.push(display(main.found.path))
  else {
    set.skipped.push({
      name: 'clouds.yaml',
      reason: `No clouds.yaml, clouds.yml or clouds.json in ${openstackConfigDirs(ctx).map(display).join(', ')}.`,
    })
  }
  if (secure.found) {
    data = deepMerge(data, secure.found.data)
    set.sources.push(display(secure.found.path))
  }
  return { clouds: cloudsOf(data), set }
}

/** Every cloud of a clouds mapping as a candidate (or a skipped entry with the reason). */
function cloudsToSet(clouds: Record<string, unknown>, set: CandidateSet, selected?: string): CandidateSet {
  for (const [name, raw] of Object.entries(clouds)) {
    const result = cloudToCandidate(name, raw)
    if (!result.ok) {
      set.skipped.push({ name, reason: result.reason })
      continue
    }
    if (name === selected) result.candidate.notes.unshift('OS_CLOUD selects this cloud.')
    set.candidates.push(result.candidate)
  }
  return set
}

/** Source 'clouds-yaml-default': every cloud of the first clouds.yaml found, secure.yaml merged on top. */
export async function readDefaultCloudsYaml(ctx: SearchContext): Promise<CandidateSet> {
  const { clouds, set } = await readCloudFiles(ctx)
  return cloudsToSet(clouds, set, ctx.env.OS_CLOUD)
}

function parseChosenFile(text: string, label: string): Record<string, unknown> {
  try {
    return parseConfigText(text)
  } catch (err) {
    // The parser's message may quote the file, and the file may hold passwords: give the line only.
    const line = err instanceof YAMLParseError ? err.linePos?.[0]?.line : undefined
    throw new PortholeError('INVALID_INPUT', `The ${label} could not be read as YAML or JSON${line ? ` (line ${line})` : ''}.`)
  }
}

/** Source 'clouds-yaml-text': a clouds.yaml the user picked, and optionally its secure.yaml. */
export function readCloudsYamlText(text: string, secureText: string | undefined): CandidateSet {
  let data = parseChosenFile(text, 'clouds.yaml')
  const set: CandidateSet = { candidates: [], skipped: [], sources: ['the chosen clouds.yaml'] }
  if (secureText !== undefined) {
    data = deepMerge(data, parseChosenFile(secureText, 'secure.yaml'))
    set.sources.push('the chosen secure.yaml')
  }
  const clouds = cloudsOf(data)
  if (Object.keys(clouds).length === 0) set.skipped.push({ name: 'clouds.yaml', reason: 'The file has no "clouds" section.' })
  return cloudsToSet(clouds, set)
}

/**
 * Source 'environment': the vSphere profile of GOVC_*, and the OpenStack cloud the shell is
 * set up for: the one OS_CLOUD names (from clouds.yaml or the OS_* cloud), else the cloud the
 * OS_* variables form. Unlike openstacksdk's default-cloud rule, a lone clouds.yaml cloud is
 * not picked without OS_CLOUD: this source imports what the environment says, nothing more.
 */
export async function readEnvironment(ctx: SearchContext): Promise<CandidateSet> {
  const { env } = ctx
  const set = govcCandidates(env, ctx.platform)
  let envCloud = environmentCloud(env)
  const selected = env.OS_CLOUD || envCloud?.name
  if (selected === undefined) return set

  let fileClouds: Record<string, unknown> = {}
  if (env.OS_CLOUD) {
    const files = await readCloudFiles(ctx)
    fileClouds = files.clouds
    set.sources.push(...files.set.sources)
    set.skipped.push(...files.set.skipped.filter((s) => s.name === 'file'))
  }
  if (envCloud !== undefined && Object.hasOwn(fileClouds, envCloud.name)) {
    set.skipped.push({
      name: envCloud.name,
      reason: `clouds.yaml also defines a cloud named "${envCloud.name}", the name the OS_* variables take; openstacksdk refuses this, so the OS_* cloud was left out.`,
    })
    envCloud = undefined
  }

  if (envCloud !== undefined && selected === envCloud.name) {
    set.sources.push(`OS_* variables (${envCloud.variables.join(', ')})`)
    const result = cloudToCandidate(envCloud.name, envCloud.cloud)
    if (!result.ok) set.skipped.push({ name: envCloud.name, reason: result.reason })
    else {
      result.candidate.notes.unshift('Made from the OS_* variables.')
      set.candidates.push(result.candidate)
    }
    return set
  }

  if (!Object.hasOwn(fileClouds, selected)) {
    set.skipped.push({ name: selected, reason: `OS_CLOUD names "${selected}", which no clouds.yaml defines.` })
    return set
  }
  const cloud = fileClouds[selected]
  // The CLI's --os-region-name defaults to OS_REGION_NAME and applies to the chosen cloud.
  const region = env.OS_REGION_NAME
  const result = cloudToCandidate(selected, region && isRecord(cloud) ? { ...cloud, region_name: region } : cloud)
  if (!result.ok) set.skipped.push({ name: selected, reason: result.reason })
  else {
    result.candidate.notes.unshift('OS_CLOUD selects this cloud.')
    if (region) result.candidate.notes.push(`The region comes from OS_REGION_NAME (${region}).`)
    set.candidates.push(result.candidate)
  }
  return set
}

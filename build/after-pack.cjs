/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder require()s this hook, so it is CommonJS */
// electron-builder's afterPack hook: flips Electron's fuses in the packaged executable before
// it is signed (https://www.electronjs.org/docs/latest/tutorial/fuses). The flip is read back
// and checked, so a build can never ship with a fuse silently left as it was.
const path = require('node:path')
const { Arch } = require('builder-util')
const { flipFuses, getCurrentFuseWire, FuseVersion, FuseV1Options } = require('@electron/fuses')

/** Fuse → value. Fuses not named here keep Electron's default. */
const PORTHOLE_FUSES = {
  // ELECTRON_RUN_AS_NODE, NODE_OPTIONS and --inspect would each turn the signed app into a
  // general-purpose Node runtime that carries the app's identity (and keychain access).
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // Only our app.asar, checked against the hash electron-builder embeds (macOS, Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer comes from app://, never file://.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
}

/** The packaged executable (the .app bundle on macOS), as electron-builder's own fuse code finds it. */
function executablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`)
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`)
    case 'linux':
      return path.join(appOutDir, packager.executableName)
    default:
      throw new Error(`after-pack: no executable path for platform ${electronPlatformName}`)
  }
}

/** Flips Porthole's fuses in `executable` and verifies them; throws if the binary has no fuse wire or a fuse did not take. */
async function flipPortholeFuses(executable, options = {}) {
  await flipFuses(executable, {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: options.resetAdHocDarwinSignature === true,
    ...PORTHOLE_FUSES,
  })
  const wire = await getCurrentFuseWire(executable)
  const ENABLE = '1'.charCodeAt(0)
  const DISABLE = '0'.charCodeAt(0)
  for (const [fuse, wanted] of Object.entries(PORTHOLE_FUSES)) {
    if (wire[fuse] !== (wanted ? ENABLE : DISABLE)) {
      throw new Error(`after-pack: fuse ${FuseV1Options[fuse]} is ${wire[fuse]} after flipping, wanted ${wanted}`)
    }
  }
  return wire
}

async function afterPack(context) {
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
  // Flipping a fuse breaks the ad-hoc signature an arm64 macOS binary must have to launch.
  const resetAdHocDarwinSignature = mac && (context.arch === Arch.arm64 || context.arch === Arch.universal)
  await flipPortholeFuses(executablePath(context), { resetAdHocDarwinSignature })
}

module.exports = { afterPack, flipPortholeFuses, executablePath, PORTHOLE_FUSES }

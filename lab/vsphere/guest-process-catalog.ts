// What runs in the lab's guests: the processes every Linux or Windows guest has after boot, those
// its workload adds (by the VM's name prefix), the short-lived ones that come and go (cron jobs,
// ssh logins, WMI hosts…) and the filler that makes a guest as crowded as a knob asks.

/** [name, owner, command]; an empty Linux command shows as `[name]` (a kernel thread). */
export type ProcessRow = [string, string, string]

export const LINUX_BASE: ProcessRow[] = [
  ['systemd', 'root', '/sbin/init splash'],
  ['kthreadd', 'root', ''],
  ['systemd-journald', 'root', '/lib/systemd/systemd-journald'],
  ['systemd-udevd', 'root', '/lib/systemd/systemd-udevd'],
  ['systemd-networkd', 'systemd-network', '/lib/systemd/systemd-networkd'],
  ['systemd-resolved', 'systemd-resolve', '/lib/systemd/systemd-resolved'],
  ['rsyslogd', 'syslog', '/usr/sbin/rsyslogd -n -iNONE'],
  ['cron', 'root', '/usr/sbin/cron -f -P'],
  ['dbus-daemon', 'messagebus', '/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile'],
  ['vmtoolsd', 'root', '/usr/bin/vmtoolsd'],
  ['VGAuthService', 'root', '/usr/bin/VGAuthService'],
  ['sshd', 'root', 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
  ['agetty', 'root', '/sbin/agetty -o -p -- \\u --noclear tty1 linux'],
  ['chronyd', '_chrony', '/usr/sbin/chronyd -F 1'],
]
export const LINUX_ROLE: Record<string, ProcessRow[]> = {
  web: [['nginx', 'root', 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;'], ['nginx', 'www-data', 'nginx: worker process'], ['nginx', 'www-data', 'nginx: worker process']],
  nginx: [['nginx', 'root', 'nginx: master process /usr/sbin/nginx'], ['nginx', 'www-data', 'nginx: worker process']],
  haproxy: [['haproxy', 'haproxy', '/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid']],
  app: [['java', 'app', '/usr/bin/java -Xmx4g -jar /opt/app/app.jar']],
  api: [['node', 'app', 'node /srv/api/server.js']],
  db: [['postgres', 'postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main'], ['postgres', 'postgres', 'postgres: checkpointer'], ['postgres', 'postgres', 'postgres: walwriter']],
  pg: [['postgres', 'postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main'], ['postgres', 'postgres', 'postgres: autovacuum launcher']],
  redis: [['redis-server', 'redis', '/usr/bin/redis-server 127.0.0.1:6379']],
  'k8s-node': [['containerd', 'root', '/usr/bin/containerd'], ['kubelet', 'root', '/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml']],
  'k8s-master': [['kube-apiserver', 'root', 'kube-apiserver --advertise-address=10.0.0.10'], ['etcd', 'root', 'etcd --data-dir=/var/lib/etcd']],
  dns: [['named', 'bind', '/usr/sbin/named -f -u bind']],
  mon: [['prometheus', 'prometheus', '/usr/bin/prometheus --config.file=/etc/prometheus/prometheus.yml']],
  log: [['java', 'elasticsearch', '/usr/share/elasticsearch/jdk/bin/java -Xms8g -Xmx8g org.elasticsearch.bootstrap.Elasticsearch']],
  'jenkins-agent': [['java', 'jenkins', 'java -jar /opt/jenkins/agent.jar -url https://ci.lab.local/']],
  'gitlab-runner': [['gitlab-runner', 'root', '/usr/bin/gitlab-runner run --working-directory /home/gitlab-runner']],
  dev: [['bash', 'demo', '-bash'], ['tmux: server', 'demo', 'tmux new -s work']],
}
export const WINDOWS_BASE: ProcessRow[] = [
  ['System', 'NT AUTHORITY\\SYSTEM', ''],
  ['smss.exe', 'NT AUTHORITY\\SYSTEM', '\\SystemRoot\\System32\\smss.exe'],
  ['csrss.exe', 'NT AUTHORITY\\SYSTEM', '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows'],
  ['wininit.exe', 'NT AUTHORITY\\SYSTEM', 'wininit.exe'],
  ['services.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\services.exe'],
  ['lsass.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\lsass.exe'],
  ['svchost.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p'],
  ['svchost.exe', 'NT AUTHORITY\\NETWORK SERVICE', 'C:\\Windows\\system32\\svchost.exe -k RPCSS -p'],
  ['svchost.exe', 'NT AUTHORITY\\LOCAL SERVICE', 'C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted -p'],
  ['spoolsv.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\System32\\spoolsv.exe'],
  ['vmtoolsd.exe', 'NT AUTHORITY\\SYSTEM', '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe"'],
  ['VGAuthService.exe', 'NT AUTHORITY\\SYSTEM', '"C:\\Program Files\\VMware\\VMware Tools\\VMware VGAuth\\VGAuthService.exe"'],
  ['explorer.exe', 'LAB\\Administrator', 'C:\\Windows\\Explorer.EXE'],
]
export const WINDOWS_ROLE: Record<string, ProcessRow[]> = {
  sql: [['sqlservr.exe', 'NT SERVICE\\MSSQLSERVER', '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER']],
  'win-dc': [['dns.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\dns.exe'], ['dfsrs.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\DFSRs.exe']],
  exch: [['MSExchangeTransport.exe', 'NT AUTHORITY\\NETWORK SERVICE', '"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\MSExchangeTransport.exe"']],
  rds: [['rdpclip.exe', 'LAB\\Administrator', 'rdpclip'], ['TermService', 'NT AUTHORITY\\NETWORK SERVICE', 'C:\\Windows\\System32\\svchost.exe -k termsvcs']],
  vdi: [['chrome.exe', 'LAB\\Administrator', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"'], ['OUTLOOK.EXE', 'LAB\\Administrator', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"']],
}

/** Short-lived processes (seconds): one starts every churn period, deterministically from the seed and the clock. */
export const LINUX_TRANSIENT: ProcessRow[] = [
  ['sshd', 'root', 'sshd: demo [priv]'],
  ['sftp-server', 'demo', '/usr/lib/openssh/sftp-server'],
  ['CRON', 'root', '/usr/sbin/CRON -f -P'],
  ['sh', 'root', '/bin/sh -c /usr/local/bin/backup.sh'],
  ['python3', 'app', '/usr/bin/python3 /opt/jobs/report.py --daily'],
  ['logrotate', 'root', '/usr/sbin/logrotate /etc/logrotate.conf'],
  ['curl', 'root', 'curl -fsS http://127.0.0.1:8080/health'],
  ['apt-check', 'root', '/usr/bin/python3 /usr/lib/update-notifier/apt-check'],
  ['run-parts', 'root', 'run-parts --report /etc/cron.hourly'],
  ['vmtoolsd', 'root', '/usr/bin/vmtoolsd -n vmusr'],
]
export const WINDOWS_TRANSIENT: ProcessRow[] = [
  ['WmiPrvSE.exe', 'NT AUTHORITY\\NETWORK SERVICE', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding'],
  ['conhost.exe', 'NT AUTHORITY\\SYSTEM', '\\??\\C:\\Windows\\system32\\conhost.exe 0x4'],
  ['dllhost.exe', 'LAB\\Administrator', 'C:\\Windows\\system32\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}'],
  ['taskhostw.exe', 'LAB\\Administrator', 'taskhostw.exe'],
  ['SearchProtocolHost.exe', 'NT AUTHORITY\\SYSTEM', '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe1'],
  ['backgroundTaskHost.exe', 'LAB\\Administrator', '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca'],
  ['MpCmdRun.exe', 'NT AUTHORITY\\SYSTEM', '"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.2302.7-0\\MpCmdRun.exe" SignaturesUpdateService -ScheduleJob -UnmanagedUpdate'],
]

/** Filler for crowded guests (the per-VM `processes` knob): one template per row, numbered by `i`. */
export const LINUX_FILLER: ((i: number) => ProcessRow)[] = [
  (i) => [`kworker/u${(i % 16) * 2}:${i % 10}`, 'root', ''],
  (i) => ['php-fpm', 'www-data', `php-fpm: pool www (worker ${i})`],
  (i) => ['postgres', 'postgres', `postgres: app appdb 10.0.${(i >> 8) & 255}.${i & 255}(${40000 + (i % 20000)}) idle`],
  (i) => ['java', 'app', `/usr/bin/java -Xmx512m -Dworker.id=${i} -jar /opt/workers/worker.jar`],
  (i) => ['node', 'app', `node /srv/workers/queue.js --shard ${i}`],
]
export const WINDOWS_FILLER: ((i: number) => ProcessRow)[] = [
  (i) => ['svchost.exe', 'NT AUTHORITY\\LOCAL SERVICE', `C:\\Windows\\system32\\svchost.exe -k LocalService -p -s Svc${i}`],
  (i) => ['w3wp.exe', 'IIS APPPOOL\\Pool' + String(i % 50), `c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "Pool${i % 50}" -v "v4.0"`],
  (i) => ['RuntimeBroker.exe', 'LAB\\Administrator', `C:\\Windows\\System32\\RuntimeBroker.exe -Embedding ${i}`],
]

#!/usr/bin/env bash
# A real Slurm test of deploy/slurm: installs Debian's slurm-wlm and munge if missing,
# starts munged, slurmctld and slurmd on this machine with a generated configuration,
# submits the 4-task array and its dependent merge with deploy/slurm/submit.sh, waits for
# them, and checks the merged run against a local single-process run of the same config,
# seed, paths and chunk size: summary.csv byte for byte, rows and bands with
# tests/slurm/compare_test.go. Stops every daemon it started and removes its files.
#
# Needs root, or passwordless sudo for the packages and daemons. Where it cannot run it
# prints "SLURM TEST SKIPPED: <why>" and exits 0, except under CI as root, where it fails.
#
# Everything lives in one temporary directory (config, state, spool, logs, runs); the
# daemons listen on ports 16817/16818, not Slurm's defaults, so a real Slurm on the same
# machine is left alone. Each phase has a time limit; the whole test stays under 15
# minutes even when everything hangs, and takes well under a minute once the packages are
# installed. KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export PATH=$PATH:/usr/sbin:/sbin # the daemons, for a user whose PATH lacks them

PATHS=40000 # 8 chunks of 5,000: two per shard
CHUNK=5000
SEED=11
SHARDS=4
BAND_PATHS=10000 # bands from every 4th path, passed by the scripts as --band-paths
JOB_TIMEOUT=300 # seconds for the array and the merge

t0=$SECONDS
phase() { printf 'slurm test [%3ds]: %s\n' "$((SECONDS - t0))" "$*"; }
fail() {
  echo "SLURM TEST FAILED: $*" >&2
  exit 1
}
# The machine cannot host the test: skip visibly, except under CI as root.
cannot_run() {
  if [ -n "${CI:-}" ] && [ "$(id -u)" = 0 ]; then fail "$*"; fi
  echo "SLURM TEST SKIPPED: $*"
  exit 0
}

if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  cannot_run "needs root or passwordless sudo (to install slurm-wlm and munge and start their daemons)"
fi
command -v go >/dev/null || fail "go is not on PATH"
phase "building bin/backstop"
timeout 300 make -s build || fail "make build failed"

# Packages: installed once, then reused.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  phase "installing slurm-wlm and munge"
  "${sudo[@]}" timeout 120 apt-get update -qq || cannot_run "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq slurm-wlm munge >/dev/null ||
    cannot_run "apt-get install slurm-wlm munge failed"
fi

host=$(hostname -s)
work=$(mktemp -d /tmp/backstop-slurm.XXXXXX)
chmod 755 "$work"
mkdir -p "$work"/{etc,state,spool,log,pid,jobs,out}
export SLURM_CONF=$work/etc/slurm.conf
started_munged=""
array=""
merge=""
ok=""

# stop_pids PIDFILE...: SIGTERM the processes named in the pid files, SIGKILL any still
# running after 15 s.
stop_pids() {
  local f pid pids=() alive=()
  for f in "$@"; do
    pid=$("${sudo[@]}" cat "$f" 2>/dev/null) || continue
    [ -n "$pid" ] && "${sudo[@]}" kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  for _ in $(seq 150); do
    alive=()
    for pid in "${pids[@]}"; do
      "${sudo[@]}" kill -0 "$pid" 2>/dev/null && alive+=("$pid")
    done
    [ ${#alive[@]} -gt 0 ] || return 0
    sleep 0.1
  done
  echo "slurm test: pids ${alive[*]} ignored SIGTERM; killing them" >&2
  "${sudo[@]}" kill -9 "${alive[@]}" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  if [ -z "$ok" ] && [ -d "$work/log" ]; then
    for f in "$work"/jobs/*.out "$work"/log/*.log; do
      [ -f "$f" ] || continue
      echo "----- $f (last 40 lines)" >&2
      "${sudo[@]}" tail -n 40 "$f" >&2
    done
  fi
  if [ -f "$work/pid/slurmctld.pid" ]; then # this cluster's jobs are all ours
    scancel --user="$(id -un)" 2>/dev/null
    for _ in $(seq 50); do
      [ -z "$(squeue -h 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pids "$work/pid/slurmd.pid" "$work/pid/slurmctld.pid"
  [ -z "$started_munged" ] || stop_pids "$started_munged"
  if [ -n "${KEEP:-}" ]; then
    echo "slurm test: kept $work"
  else
    "${sudo[@]}" rm -rf "$work"
  fi
  phase "done, daemons stopped"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: reuse a running munged, else start one as the munge user.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  phase "starting munged"
  "${sudo[@]}" test -f /etc/munge/munge.key || "${sudo[@]}" mungekey --create --keyfile=/etc/munge/munge.key ||
    fail "no /etc/munge/munge.key and mungekey could not create one"
  "${sudo[@]}" chown munge:munge /etc/munge/munge.key
  "${sudo[@]}" chmod 400 /etc/munge/munge.key
  "${sudo[@]}" mkdir -p /run/munge
  "${sudo[@]}" chown munge:munge /run/munge
  "${sudo[@]}" rm -f /run/munge/munged.pid
  "${sudo[@]}" su -s /bin/sh munge -c /usr/sbin/munged || fail "munged did not start"
  started_munged=/run/munge/munged.pid
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.2
  done
  munge -n | unmunge >/dev/null || fail "munge -n | unmunge fails after starting munged"
fi

# A one-node cluster: this host, all its cores, 90% of its memory. No cgroups (linuxproc
# tracks processes), no accounting database (scontrol reports job states).
cpus=$(nproc)
mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
cat >"$SLURM_CONF" <<EOF
ClusterName=backstoptest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/pid/slurmctld.pid
SlurmdPidFile=$work/pid/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
cat >"$work/etc/cgroup.conf" <<EOF
ConstrainCores=no
ConstrainRAMSpace=no
EOF

phase "starting slurmctld and slurmd ($host, $cpus CPUs, ${mem} MB)"
# SLURM_CONF also tells the daemons where cgroup.conf is (sudo would drop it).
"${sudo[@]}" env SLURM_CONF="$SLURM_CONF" slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
"${sudo[@]}" env SLURM_CONF="$SLURM_CONF" slurmd -f "$SLURM_CONF" -N "$host" || fail "slurmd did not start"
state=""
for _ in $(seq 150); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || fail "node $host is '$state', not idle, 30 s after starting the daemons"

phase "submitting $SHARDS shards of $PATHS paths (chunks of $CHUNK, seed $SEED) and the merge"
sharded=$work/out/sharded
submitted=$(cd "$work/jobs" && BACKSTOP_BIN=$repo/bin/backstop BACKSTOP_OUT=$sharded BACKSTOP_SHARDS=$SHARDS \
  BACKSTOP_PATHS=$PATHS BACKSTOP_CHUNK_SIZE=$CHUNK BACKSTOP_SEED=$SEED BACKSTOP_CONFIG='' BACKSTOP_POLICIES='' BACKSTOP_WORKERS='' BACKSTOP_BAND_PATHS=$BAND_PATHS \
  bash "$repo/deploy/slurm/submit.sh" --cpus-per-task=1 --time=5) || fail "submit.sh failed"
echo "$submitted"
array=$(awk '/^array job/ { print $3 }' <<<"$submitted")
merge=$(awk '/^merge job/ { print $3 }' <<<"$submitted")
[[ "$array" =~ ^[0-9]+$ && "$merge" =~ ^[0-9]+$ ]] || fail "no job ids in submit.sh's output"

# The merge job ends COMPLETED once every task has succeeded, or CANCELLED when one failed
# (submit.sh asks for --kill-on-invalid-dep).
deadline=$((SECONDS + JOB_TIMEOUT))
merge_state=""
while :; do
  merge_state=$(scontrol -o show job "$merge" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
  case "$merge_state" in
  COMPLETED) break ;;
  FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED)
    scontrol -o show job "$array" | grep -o 'JobId=[0-9]* ArrayJobId=[0-9]* ArrayTaskId=[0-9]*\|JobState=[A-Z_]*\|ExitCode=[0-9:]*' | paste - - - >&2 || true
    fail "merge job $merge ended $merge_state"
    ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || fail "array $array and merge $merge not done after ${JOB_TIMEOUT} s (merge is '$merge_state')"
  sleep 0.5
done
phase "array job $array and merge job $merge completed"

for i in $(seq "$SHARDS"); do
  log=$work/jobs/backstop-${array}_$i.out
  grep -q ", shard $i/$SHARDS (from Slurm array task $i " "$log" ||
    fail "$log does not say shard $i/$SHARDS came from the Slurm array task"
done
grep -q '"status": "complete"' "$sharded/manifest.json" || fail "$sharded/manifest.json is not complete"
grep -q '"stride": 4,' "$sharded/manifest.json" || fail "$sharded/manifest.json: the bands do not count every 4th path (BACKSTOP_BAND_PATHS=$BAND_PATHS)"

phase "the same run in one process"
single=$work/out/single
timeout 120 bin/backstop run --paths "$PATHS" --chunk-size "$CHUNK" --seed "$SEED" --band-paths "$BAND_PATHS" --out "$single" --quiet >/dev/null ||
  fail "the single-process run failed"

phase "comparing"
cmp "$sharded/summary.csv" "$single/summary.csv" || fail "summary.csv differs between the merged and the single run"
BACKSTOP_COMPARE_A=$sharded BACKSTOP_COMPARE_B=$single timeout 180 go test ./tests/slurm -run Compare -count=1 -v ||
  fail "the merged run differs from the single run"
ok=1
phase "PASS: $SHARDS Slurm array tasks + dependent merge equal the single-process run"

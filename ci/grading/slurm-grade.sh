#!/usr/bin/env bash
# Grades a class's submissions on a Slurm cluster: one array task per shard, then a merge job that waits for all.
#
#   ci/grading/slurm-grade.sh SUBMISSIONS_DIR SOURCE_DIR RESULTS_DIR [SHARDS]
#
# Run from the CourseKit repository on the login node after `dotnet build CourseKit.sln -c Release` (and, for speed,
# `dotnet publish src/CourseKit.Cli -c Release -r linux-x64`, which the tasks then use); the folders must
# be on a file system the compute nodes share. Each node needs bubblewrap and user namespaces (environment.md).
# Each task grades with one worker per core it was given (--cpus-per-task).
set -euo pipefail
submissions=$(realpath "$1"); source=$(realpath "$2"); results=$(realpath -m "$3"); shards=${4:-8}
# the ReadyToRun grader when it was published (a third more submissions a minute: Grading/README.md, "Speed"), else the build
cli="$(pwd)/artifacts/publish/CourseKit.Cli/release_linux-x64/CourseKit.Cli.dll"
[ -f "$cli" ] || cli="$(pwd)/artifacts/bin/CourseKit.Cli/release/CourseKit.Cli.dll"
[ -f "$cli" ] || { echo "slurm-grade: build first: dotnet build CourseKit.sln -c Release" >&2; exit 2; }
echo "slurm-grade: grading with $cli (publish again after a rebuild, or the tasks grade with the older grader)"
mkdir -p "$results.shards"

array=$(sbatch --parsable --job-name=coursekit-grade --array=1-"$shards" --cpus-per-task=4 --mem=16G --time=04:00:00 \
  --output="$results.shards/slurm-%a.log" --wrap \
  "dotnet '$cli' grade '$submissions' --source '$source' --out '$results.shards/shard-'\$SLURM_ARRAY_TASK_ID \
     --shard \$SLURM_ARRAY_TASK_ID/$shards --parallel \${SLURM_CPUS_PER_TASK:-1}")

# afterany: merge what finished even if a task failed; merge names what is missing or does not belong
sbatch --parsable --job-name=coursekit-merge --dependency=afterany:"$array" --output="$results.shards/merge.log" --wrap \
  "dotnet '$cli' grade merge '$results.shards'/shard-* --out '$results'"
echo "submitted array job $array ($shards shards); results in $results when the merge job ends"

#!/bin/bash
# The XLSX reproductions of the same folder that run_repros.sh does not run (H1, H2), same format.
M=${MINESITE:-minesite}
r() { echo "== $1"; shift; env -u RUST_BACKTRACE "$@" > last.out 2> last.err; echo "exit=$? stderr: $(head -c 230 last.err | head -2 | tr '\n' ' ')"; }
for f in h1.xlsx h1_single_quote.xlsx h1b.xlsx h1b_outside.xlsx h1c.xlsx h1c_control.xlsx h2.xlsx h2_sst.xlsx; do
  for cmd in "validate $f" "score $f -o out_$f.csv --force" "report $f -o out_$f.pdf --force"; do
    r "${f%.xlsx} $cmd" timeout 60 $M $cmd
  done
done

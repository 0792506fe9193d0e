#!/usr/bin/env bash
# mpd-synth-corpus.sh DIR — a synthetic 2,000-track library for protocol benchmarks (listings, not
# decoding): 40 artists x 5 albums x 10 one-second FLAC files, each tagged (artist, album,
# albumartist, title, track, date, genre). Needs sox and flac (metaflac).
set -euo pipefail
DIR=${1:?usage: mpd-synth-corpus.sh DIR}
mkdir -p "$DIR"; cd "$DIR"
src=$(mktemp /tmp/synth-src.XXXXXX.flac)
sox -n -r 44100 -c 2 -b 16 "$src" synth sine 440 trim 0 1
for a in $(seq -w 1 40); do for b in $(seq 1 5); do
  d="Artist $a/Album $a-$b"; mkdir -p "$d"
  for t in $(seq -w 1 10); do
    f="$d/$t Song $a-$b-$t.flac"; cp "$src" "$f"
    metaflac --remove-all-tags --set-tag="ARTIST=Artist $a" --set-tag="ALBUM=Album $a-$b" \
      --set-tag="ALBUMARTIST=Artist $a" --set-tag="TITLE=Song $a-$b-$t" --set-tag="TRACKNUMBER=$t" \
      --set-tag="DATE=20$a" --set-tag="GENRE=Genre $((10#$a % 7))" "$f"
  done
done; done
rm -f "$src"

#!/usr/bin/env bash
# Builds and installs pgvector for the local PostgreSQL server.
# Debian bookworm packages no postgresql-15-pgvector, so the extension is built from Debian trixie's source package,
# fetched through the machine's own Debian sources (no other host), against postgresql-server-dev-<major>.
set -euo pipefail
pg_major=${1:-$(ls /etc/postgresql | head -n1)}
pg_config=/usr/lib/postgresql/${pg_major}/bin/pg_config

if apt-cache show "postgresql-${pg_major}-pgvector" >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${pg_major}-pgvector"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources" "$work/lists/partial"
# Reuse the first stanza of the machine's debian.sources as a deb-src entry for trixie.
awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
  | sed -e 's/^Types: .*/Types: deb-src/' -e 's/^Suites: .*/Suites: trixie/' > "$work/sources/trixie-src.sources"
apt_opts=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$work/sources" -o "Dir::State::lists=$work/lists")
apt-get "${apt_opts[@]}" update -qq
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only pgvector >/dev/null)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-${pg_major}" build-essential >/dev/null
cd "$work"
tar xzf pgvector_*.orig.tar.gz
cd pgvector-*/
# OPTFLAGS="" keeps -march=native out of the build.
make -s PG_CONFIG="$pg_config" OPTFLAGS="" >/dev/null
make -s PG_CONFIG="$pg_config" OPTFLAGS="" install >/dev/null
echo "pgvector installed for PostgreSQL ${pg_major}"

#!/usr/bin/env bash
# Runs each test file alone against a migrated NON-test database holding the demo deal and checks
# that the database is byte-for-byte the same afterwards (pg_dump). Run by hand:
#   bench/check_test_isolation.sh [test files...]   (default: every tests/**/test_*.py)
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${ISOLATION_DB:-regiodeal_isolation}"
URL="postgres://postgres@127.0.0.1:5432/$DB"
dump() { pg_dump -h 127.0.0.1 -U postgres "$DB" | grep -v '^--' | grep -v 'restrict' | md5sum; }

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
DATABASE_URL="$URL" .venv/bin/python manage.py migrate -v0
DATABASE_URL="$URL" .venv/bin/python manage.py load_demo >/dev/null
before=$(dump)
files=("$@")
[ ${#files[@]} -eq 0 ] && mapfile -t files < <(find tests -name 'test_*.py' | sort)
changed=0
for file in "${files[@]}"; do
  DATABASE_URL="$URL" .venv/bin/python -m pytest "$file" -q -p no:cacheprovider --reuse-db -x >/dev/null 2>&1 || true
  if [ "$(dump)" != "$before" ]; then
    echo "VERANDERD na $file"; changed=1
    DATABASE_URL="$URL" .venv/bin/python manage.py flush --noinput && DATABASE_URL="$URL" .venv/bin/python manage.py load_demo >/dev/null
    before=$(dump)
  else
    echo "ongewijzigd: $file"
  fi
done
exit $changed

#!/usr/bin/env bash
# Makes the chain-check fixtures under tests/fixtures/signed/trust/ (issue 12,
# item 20): a TEST-ONLY root CA with fixed validity dates, a code-signing
# certificate valid at the signing time and one that expired before it, and
# a stand-in driver signed with each by osslsigncode (signingTime
# 2026-11-20T08:00:00Z, no timestamp token, so the outputs are deterministic).
#   valid-signed.sys    trusted with the test root added
#                       (POOLTRIAGE_TEST_EXTRA_ROOTS=pki/root.crt), else untrusted-root
#   expired-signed.sys  expired (certificate valid 2021-01-01..2022-01-01)
# Re-runnable; keeps pki/ (delete it to make new keys).
#   bash scripts/make-trust-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/signed/trust
pki=$out/pki
drv=tests/fixtures/drivers/bin/x64/mfehidk.sys
mkdir -p "$pki"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SIGN_TIME=1795161600 # 2026-11-20T08:00:00Z

if [ ! -f "$pki/root.crt" ]; then
  cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
countryName = optional
[root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[codesign]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
  : > "$tmp/index.txt"
  echo 7e57a001 > "$tmp/serial"
  for k in root valid expired; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/$k.key" 2>/dev/null
  done
  openssl req -new -key "$pki/root.key" -subj "/O=pooltriage tests/CN=pooltriage Trust Test Root (TEST ONLY)" \
    -out "$tmp/root.csr"
  openssl ca -batch -config "$tmp/ca.cnf" -selfsign -keyfile "$pki/root.key" -extensions root \
    -startdate 20200101000000Z -enddate 20450101000000Z -in "$tmp/root.csr" -out "$pki/root.crt" 2>/dev/null
  openssl req -new -key "$pki/valid.key" -subj "/C=US/O=Contoso Test Ltd./CN=Contoso Valid Signer (TEST ONLY)" \
    -out "$tmp/valid.csr"
  openssl ca -batch -config "$tmp/ca.cnf" -cert "$pki/root.crt" -keyfile "$pki/root.key" -extensions codesign \
    -startdate 20210101000000Z -enddate 20410101000000Z -in "$tmp/valid.csr" -out "$pki/valid.crt" 2>/dev/null
  openssl req -new -key "$pki/expired.key" -subj "/C=US/O=Contoso Test Ltd./CN=Contoso Expired Signer (TEST ONLY)" \
    -out "$tmp/expired.csr"
  openssl ca -batch -config "$tmp/ca.cnf" -cert "$pki/root.crt" -keyfile "$pki/root.key" -extensions codesign \
    -startdate 20210101000000Z -enddate 20220101000000Z -in "$tmp/expired.csr" -out "$pki/expired.crt" 2>/dev/null
  for k in root valid expired; do # keep only the PEM block
    openssl x509 -in "$pki/$k.crt" -out "$tmp/$k.pem" && mv "$tmp/$k.pem" "$pki/$k.crt"
  done
fi

for k in valid expired; do
  rm -f "$out/$k-signed.sys"
  cat "$pki/$k.crt" "$pki/root.crt" > "$tmp/chain.pem"
  osslsigncode sign -certs "$tmp/chain.pem" -key "$pki/$k.key" -h sha256 \
    -n "pooltriage trust fixture" -time "$SIGN_TIME" -in "$drv" -out "$out/$k-signed.sys" >/dev/null
done
(cd "$out" && sha256sum valid-signed.sys expired-signed.sys pki/*.crt > SHA256SUMS)
echo "made $out"

#!/usr/bin/env bash
# Makes the signed test fixtures under tests/fixtures/signed/:
# a TEST-ONLY CA, code-signing and time-stamping certificates, copies of the
# stand-in drivers signed with osslsigncode (signingTime, an RFC 3161 token
# from osslsigncode's built-in TSA, a nested signature), a tampered, a
# truncated and a broken-PKCS#7 copy, and a Windows tree with a test catalog
# (.cat: a CTL encoded with `openssl asn1parse -genconf`, signed with
# `openssl cms`) that covers two unsigned drivers.
#
# Re-runnable.  The keys and certificates in pki/ are made once and kept
# (delete pki/ to make new ones; every output then changes).  With the same
# pki/, all outputs are byte-identical on every run: RSA PKCS#1 v1.5 is
# deterministic and every time is fixed (see README.md in the output).
#   bash scripts/make-signed-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/signed
drv=tests/fixtures/drivers/bin
pki=$out/pki
mkdir -p "$pki" "$out/x64" "$out/x86"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Fixed times: 2026-11-20T08:00:00Z (signingTime) and 2026-11-20T08:05:00Z (TSA).
SIGN_TIME=1795161600
TSA_TIME=1795161900

# ---- test PKI (made once) ----
if [ ! -f "$pki/ca.crt" ]; then
  cat > "$tmp/ext.cnf" <<'CNF'
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[codesign]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
  for k in ca signer tsa; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/$k.key" 2>/dev/null
  done
  openssl req -new -x509 -key "$pki/ca.key" -days 7300 -set_serial 0x7e57ca01 \
    -subj "/O=pooltriage tests/CN=pooltriage Test Root CA (TEST ONLY)" \
    -config /dev/null -extensions ca -addext "basicConstraints=critical,CA:true" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$pki/ca.crt" 2>/dev/null ||
  openssl req -new -x509 -key "$pki/ca.key" -days 7300 -set_serial 0x7e57ca01 \
    -subj "/O=pooltriage tests/CN=pooltriage Test Root CA (TEST ONLY)" -out "$pki/ca.crt"
  for k in signer tsa; do
    case $k in
      signer) subj="/C=US/O=Contoso Test Ltd./CN=Contoso Test Code Signing (TEST ONLY)"; ext=codesign; serial=0x7e57c0de01 ;;
      tsa) subj="/O=pooltriage tests/CN=pooltriage Test Time-Stamp Authority (TEST ONLY)"; ext=tsa; serial=0x7e575a01 ;;
    esac
    openssl req -new -key "$pki/$k.key" -subj "$subj" -out "$tmp/$k.csr"
    openssl x509 -req -in "$tmp/$k.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
      -set_serial "$serial" -days 7300 -extfile "$tmp/ext.cnf" -extensions "$ext" \
      -out "$pki/$k.crt" 2>/dev/null
  done
fi

# ---- embedded signatures ----
sign() { # in out hash [extra osslsigncode args]
  local in=$1 o=$2 h=$3; shift 3
  rm -f "$o"
  osslsigncode sign -certs "$pki/signer.crt" -key "$pki/signer.key" -h "$h" \
    -n "pooltriage test fixture" -time "$SIGN_TIME" "$@" -in "$in" -out "$o" >/dev/null
}
tsa=(-TSA-certs "$pki/tsa.crt" -TSA-key "$pki/tsa.key" -TSA-time "$TSA_TIME")

# x64: sha256 with signingTime, then a nested sha1 signature with an RFC 3161 token.
sign "$drv/x64/mfeavfk.sys" "$tmp/mfeavfk-1.sys" sha256
sign "$tmp/mfeavfk-1.sys" "$out/x64/mfeavfk-signed.sys" sha1 -nest "${tsa[@]}"
# x86: sha256 with an RFC 3161 token.
sign "$drv/x86/ctsdisk.sys" "$out/x86/ctsdisk-signed.sys" sha256 "${tsa[@]}"

le32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
le16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# file offset of data directory 4 (security), for PE32+ (magic 0x20b) or PE32.
secdir() {
  local f=$1 lfanew magic
  lfanew=$(le32 "$f" 60)
  magic=$(le16 "$f" $((lfanew + 24)))
  if [ "$magic" = 523 ]; then echo $((lfanew + 24 + 112 + 32)); else echo $((lfanew + 24 + 96 + 32)); fi
}
text_offset() { # PointerToRawData of .text
  printf '%d\n' "0x$(x86_64-w64-mingw32-objdump -h "$1" | awk '$2==".text"{print $6}')"
}

signed=$out/x64/mfeavfk-signed.sys
# Tampered: one byte of .text flipped after signing -> digest mismatch.
cp "$signed" "$out/x64/mfeavfk-tampered.sys"
t=$(text_offset "$signed")
b=$(od -An -tu1 -j $((t + 16)) -N1 "$signed" | tr -d ' ')
poke "$out/x64/mfeavfk-tampered.sys" $((t + 16)) "$(printf '\\%03o' $((b ^ 0xff)))"
# Truncated: the last 100 bytes of the certificate table cut off.
size=$(stat -c %s "$signed")
head -c $((size - 100)) "$signed" > "$out/x64/mfeavfk-truncated.sys"
# Broken PKCS#7: 16 bytes of the SignedData overwritten with 0xFF.
cp "$signed" "$out/x64/mfeavfk-badpkcs7.sys"
sec=$(le32 "$signed" "$(secdir "$signed")")
poke "$out/x64/mfeavfk-badpkcs7.sys" $((sec + 8)) '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377'

# ---- a Windows tree with a catalog ----
root=$out/root
cat_dir="$root/Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"
rm -rf "$root"
mkdir -p "$root/Windows/System32/drivers" "$cat_dir"
cp "$drv/x64/ctsvid.sys" "$drv/x64/ctsnet.sys" "$drv/x64/mfehidk.sys" "$root/Windows/System32/drivers/"

# Authenticode hashes from osslsigncode (an oracle independent of pooltriage):
# the digest in the SpcIndirectDataContent it would sign.
pehash() { # file md -> hex
  rm -f "$tmp/data.der"
  osslsigncode extract-data -h "$2" -in "$1" -out "$tmp/data.der" >/dev/null
  openssl asn1parse -inform DER -in "$tmp/data.der" | awk '/OCTET STRING/ {h=$NF} END {sub(/^.*:/, "", h); print tolower(h)}'
}
vid1=$(pehash "$root/Windows/System32/drivers/ctsvid.sys" sha1)
vid256=$(pehash "$root/Windows/System32/drivers/ctsvid.sys" sha256)
net256=$(pehash "$root/Windows/System32/drivers/ctsnet.sys" sha256)
net_hex=$(printf '%s' "$net256" | tr a-f A-F | od -An -tx1 | tr -d ' \n')
# CTL (certificate trust list) as Windows catalogs encode it: usage
# szOID_CATALOG_LIST, list id, time, member algorithm szOID_CATALOG_LIST_MEMBER,
# then one TrustedSubject per member: its tag (the sha1 hash for ctsvid, the
# sha256 as upper-case hex text for ctsnet) and a SpcIndirectDataContent
# attribute (1.3.6.1.4.1.311.2.1.4) holding the Authenticode digest.
cat > "$tmp/ctl.cnf" <<CNF
asn1 = SEQUENCE:ctl
[ctl]
usage = SEQUENCE:usage
listid = FORMAT:HEX,OCTETSTRING:7E57CA7A106000000000000000000001
thisupdate = UTCTIME:261120080000Z
alg = SEQUENCE:member_alg
subjects = SEQUENCE:subjects
[usage]
u1 = OID:1.3.6.1.4.1.311.12.1.1
[member_alg]
oid = OID:1.3.6.1.4.1.311.12.1.2
null = NULL
[subjects]
s1 = SEQUENCE:vid
s2 = SEQUENCE:net
[vid]
tag = FORMAT:HEX,OCTETSTRING:$vid1
attrs = SET:vid_attrs
[vid_attrs]
a1 = SEQUENCE:vid_spc
[vid_spc]
oid = OID:1.3.6.1.4.1.311.2.1.4
values = SET:vid_spc_values
[vid_spc_values]
v1 = SEQUENCE:vid_indirect
[vid_indirect]
data = SEQUENCE:pe_image_data
digest = SEQUENCE:vid_digest
[vid_digest]
alg = SEQUENCE:sha256_alg
d = FORMAT:HEX,OCTETSTRING:$vid256
[net]
tag = FORMAT:HEX,OCTETSTRING:$net_hex
attrs = SET:net_attrs
[net_attrs]
a1 = SEQUENCE:net_spc
[net_spc]
oid = OID:1.3.6.1.4.1.311.2.1.4
values = SET:net_spc_values
[net_spc_values]
v1 = SEQUENCE:net_indirect
[net_indirect]
data = SEQUENCE:pe_image_data
digest = SEQUENCE:net_digest
[net_digest]
alg = SEQUENCE:sha256_alg
d = FORMAT:HEX,OCTETSTRING:$net256
[pe_image_data]
type = OID:1.3.6.1.4.1.311.2.1.15
[sha256_alg]
oid = OID:sha256
null = NULL
CNF
openssl asn1parse -genconf "$tmp/ctl.cnf" -out "$out/test-ctl.der" >/dev/null
openssl cms -sign -nodetach -binary -econtent_type 1.3.6.1.4.1.311.10.1 \
  -signer "$pki/signer.crt" -inkey "$pki/signer.key" -md sha256 -noattr \
  -in "$out/test-ctl.der" -outform DER -out "$cat_dir/test.cat"
# A .cat that is not a catalog: counted as skipped, never fatal.
printf 'not a catalog\n' > "$cat_dir/broken.cat"

(cd "$out" && find . -type f ! -path './pki/*.key' ! -name SHA256SUMS ! -name README.md -print0 | sort -z |
  xargs -0 sha256sum > SHA256SUMS)
echo "made $out"

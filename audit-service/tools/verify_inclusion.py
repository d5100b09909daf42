#!/usr/bin/env python3
"""Checks that an audit entry is in a signed Tanso checkpoint, with the Python standard library only.

usage: verify_inclusion.py entry.json proof.json checkpoint.json
       verify_inclusion.py certificate-proof.json

entry.json      GET /audit/entries/{seq}
proof.json      GET /audit/proofs/inclusion?seq={seq}&treeSize={checkpoint treeSize}
checkpoint.json GET /audit/checkpoints/latest   (its signature is checked separately with openssl)
certificate-proof.json
                the proof.json a retirement certificate carries (pdfdetach -savefile proof.json
                certificate.pdf): the three above in one file, {entry, leafIndex, treeSize,
                leafHash, auditPath, checkpoint}

Leaf bytes are the RFC 8785 canonical JSON of the entry without prevHash and hash. For Tanso's
payloads (strings, whole numbers, objects, arrays) json.dumps with sorted keys and no spaces
produces exactly that; for arbitrary JSON use an RFC 8785 library (Debian: python3-rfc8785).
"""
import hashlib
import json
import sys


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_path(leaf_index, tree_size, leaf_hash, path):
    """RFC 9162 section 2.1.3.2."""
    fn, sn, r = leaf_index, tree_size - 1, leaf_hash
    for p in path:
        if sn == 0:
            raise ValueError("audit path too long")
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("audit path too short")
    return r


def main(entry_file, proof_file=None, checkpoint_file=None):
    if proof_file is None:
        proof = json.load(open(entry_file, encoding="utf-8"))
        entry, checkpoint = proof["entry"], proof["checkpoint"]
    else:
        entry = json.load(open(entry_file, encoding="utf-8"))
        proof = json.load(open(proof_file, encoding="utf-8"))
        checkpoint = json.load(open(checkpoint_file, encoding="utf-8"))
    leaf = canonical({k: v for k, v in entry.items() if k not in ("prevHash", "hash")})
    leaf_hash = hashlib.sha256(b"\x00" + leaf).digest()
    if leaf_hash.hex() != proof["leafHash"]:
        sys.exit("the entry does not hash to the proof's leaf hash")
    if proof["treeSize"] != checkpoint["treeSize"]:
        sys.exit("the proof is for tree size %d, the checkpoint for %d" % (proof["treeSize"], checkpoint["treeSize"]))
    root = root_from_path(proof["leafIndex"], proof["treeSize"], leaf_hash, [bytes.fromhex(h) for h in proof["auditPath"]])
    if root.hex() != checkpoint["rootHash"]:
        sys.exit("the audit path does not lead to the checkpoint's root")
    print("entry %d is in the log of %d entries with root %s" % (entry["seq"], checkpoint["treeSize"], root.hex()))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])

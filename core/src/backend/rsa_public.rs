//! RSA public-key operations for the RustCrypto backend (RFC 8017): RSAVP1/RSAEP by Montgomery
//! exponentiation, EMSA-PSS and EMSA-PKCS1-v1_5 verification, RSAES-OAEP and RSAES-PKCS1-v1_5
//! encryption. The `rsa` crate still does every private-key operation.
//!
//! Why not the `rsa` crate for these too: its public operations pull crypto-bigint's boxed
//! integers (Karatsuba at several widths, Barrett and Montgomery setup) into the wasm package,
//! for what is an exponentiation by a small public exponent; this module in their place took
//! 37.5 KB off the gzipped offline package (BENCHMARKS.md). Limbs are 32-bit with 64-bit products: wasm32 multiplies those
//! natively. Checked by Wycheproof's RSA signature files (both backends must agree), the shared
//! vectors, and encryptions that the aws-lc backend and the `rsa` crate decrypt.
//!
//! Only the exponent is public: an encryption's input is the padded plaintext, so the
//! Montgomery reduction's final subtraction is branch-free, and every intermediate is wiped.

use super::{Backend, RsaPadding};
use crate::error::{Error, Result};
use crate::spec::{Hash, SignatureScheme};
use alloc::vec;
use alloc::vec::Vec;
use der::asn1::UintRef;
use der::{Decode, Reader, SliceReader};
use zeroize::Zeroizing;

/// The hashes RSA padding uses here (OAEP also SHA-1).
#[derive(Clone, Copy, Debug)]
enum Md {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Md {
    fn of_signature(hash: Hash) -> Option<Self> {
        match hash {
            Hash::Sha256 => Some(Self::Sha256),
            Hash::Sha384 => Some(Self::Sha384),
            Hash::Sha512 => Some(Self::Sha512),
            Hash::Sm3 | Hash::Shake256 => None,
        }
    }

    fn len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The hash of the concatenated `parts`.
    fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            parts.iter().for_each(|p| d.update(p));
            d.finalize().to_vec()
        }
        match self {
            Self::Sha1 => run::<sha1::Sha1>(parts),
            Self::Sha256 => run::<sha2::Sha256>(parts),
            Self::Sha384 => run::<sha2::Sha384>(parts),
            Self::Sha512 => run::<sha2::Sha512>(parts),
        }
    }

    /// DER `DigestInfo` up to the digest itself (RFC 8017 §9.2, note 1), for PKCS#1 v1.5.
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Self::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            Self::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Self::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Self::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }

    /// MGF1 (RFC 8017 §B.2.1): `len` bytes of Hash(seed ‖ counter) blocks.
    fn mgf1(self, seed: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(len + self.len()));
        let mut counter = 0u32;
        while out.len() < len {
            out.extend_from_slice(&Zeroizing::new(self.hash(&[seed, &counter.to_be_bytes()])));
            counter += 1;
        }
        out.truncate(len);
        out
    }
}

fn xor(out: &mut [u8], mask: &[u8]) {
    out.iter_mut().zip(mask).for_each(|(o, m)| *o ^= m);
}

/// An RSA public key (n, e) with its Montgomery constants.
pub(super) struct RsaPublicKey {
    /// n, little-endian 32-bit limbs; its top bit is set (KMS moduli are 2048/3072/4096 bits).
    n: Vec<u32>,
    /// −n⁻¹ mod 2³².
    n0: u32,
    /// R² mod n, R = 2^(32·limbs): converts into Montgomery form.
    rr: Vec<u32>,
    e: u64,
}

impl RsaPublicKey {
    /// Reads the PKCS#1 `RSAPublicKey` of `key` (a parsed KMS public key, so 2048, 3072 or
    /// 4096 bits). The exponent must be odd, ≥ 3 and < 2³³, as aws-lc requires.
    pub(super) fn parse(key: &crate::public_key::PublicKey) -> Result<Self> {
        let bad = || Error::validation(alloc::format!("{} public key is not usable", key.spec()));
        let mut r = SliceReader::new(key.key_bytes()).map_err(|_| bad())?;
        let (n, e) = r
            .sequence(|r| Ok((UintRef::decode(r)?, UintRef::decode(r)?)))
            .map_err(|_: der::Error| bad())?;
        r.finish().map_err(|_| bad())?;
        let (n, e) = (n.as_bytes(), e.as_bytes());
        if n.len() % 4 != 0 || n.first().is_none_or(|b| b >> 7 == 0) || n[n.len() - 1] & 1 == 0 {
            return Err(bad());
        }
        if e.len() > 5 {
            return Err(bad());
        }
        let e = e.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        if !(3..1 << 33).contains(&e) || e & 1 == 0 {
            return Err(bad());
        }
        let n = limbs(n);
        // Newton's iteration doubles the correct low bits of n⁻¹ mod 2³² (n is odd): 1, 2, 4, ….
        let inv = (0..5).fold(1u32, |x, _| {
            x.wrapping_mul(2u32.wrapping_sub(n[0].wrapping_mul(x)))
        });
        let mut key = Self {
            n0: inv.wrapping_neg(),
            rr: Vec::new(),
            n,
            e,
        };
        key.rr = key.r_squared();
        Ok(key)
    }

    /// The modulus length in bytes (k).
    fn size(&self) -> usize {
        self.n.len() * 4
    }

    /// R² mod n without division: R mod n = R − n (n's top bit is set), doubled t times gives
    /// 2^t·R, the Montgomery form of 2^t; j Montgomery squarings raise it to 2^(t·2^j) = R,
    /// whose Montgomery form is R² mod n, for t·2^j = 32·limbs.
    fn r_squared(&self) -> Vec<u32> {
        let bits = 32 * self.n.len();
        let j = bits.trailing_zeros().min(6);
        let mut x = sub_borrow(&vec![0; self.n.len()], &self.n).0; // 2^bits − n
        for _ in 0..bits >> j {
            let carry = shl1(&mut x);
            let (d, borrow) = sub_borrow(&x, &self.n);
            if carry == 1 || borrow == 0 {
                x = d;
            }
        }
        for _ in 0..j {
            x = self.mont_mul(&x, &x).to_vec();
        }
        x
    }

    /// a·b·R⁻¹ mod n for a, b < n (CIOS, RFC 8017 leaves the method open).
    fn mont_mul(&self, a: &[u32], b: &[u32]) -> Zeroizing<Vec<u32>> {
        let (n, l) = (&self.n, self.n.len());
        let mut t = Zeroizing::new(vec![0u32; l + 2]);
        for &bi in b {
            let mut c = 0u64;
            for (tj, aj) in t.iter_mut().zip(a) {
                let s = u64::from(*tj) + u64::from(*aj) * u64::from(bi) + c;
                (*tj, c) = (s as u32, s >> 32);
            }
            let s = u64::from(t[l]) + c;
            (t[l], t[l + 1]) = (s as u32, (s >> 32) as u32);
            let m = t[0].wrapping_mul(self.n0);
            let mut c = (u64::from(t[0]) + u64::from(m) * u64::from(n[0])) >> 32;
            for j in 1..l {
                let s = u64::from(t[j]) + u64::from(m) * u64::from(n[j]) + c;
                (t[j - 1], c) = (s as u32, s >> 32);
            }
            let s = u64::from(t[l]) + c;
            t[l - 1] = s as u32;
            t[l] = t[l + 1] + (s >> 32) as u32;
        }
        // t < 2n: subtract n when t ≥ n, selecting by mask rather than branching.
        let (d, borrow) = sub_borrow(&t[..l], n);
        let d = Zeroizing::new(d);
        let mask = 0u32.wrapping_sub(t[l] | (borrow ^ 1));
        Zeroizing::new(
            d.iter()
                .zip(t.iter())
                .map(|(d, t)| (d & mask) | (t & !mask))
                .collect(),
        )
    }

    /// RSAEP / RSAVP1: `x^e mod n` for a k-byte big-endian `x`; `None` when x ≥ n.
    fn public_op(&self, x: &[u8]) -> Option<Vec<u8>> {
        if x.len() != self.size() {
            return None;
        }
        let x = Zeroizing::new(limbs(x));
        if sub_borrow(&x, &self.n).1 == 0 {
            return None;
        }
        let xm = self.mont_mul(&x, &self.rr);
        let mut acc = xm.clone();
        for bit in (0..63 - self.e.leading_zeros()).rev() {
            acc = self.mont_mul(&acc, &acc);
            if self.e >> bit & 1 == 1 {
                acc = self.mont_mul(&acc, &xm);
            }
        }
        let mut one = vec![0u32; self.n.len()];
        one[0] = 1;
        let y = self.mont_mul(&acc, &one);
        Some(y.iter().rev().flat_map(|l| l.to_be_bytes()).collect())
    }

    /// KMS Verify for RSASSA_PSS_* (salt length = hash length, MGF1 with the same hash) and
    /// RSASSA_PKCS1_V1_5_*: `false` for any signature that does not verify, including one of
    /// the wrong length or not below n (RFC 8017 §8.1.2, §8.2.2).
    pub(super) fn verify(
        &self,
        scheme: SignatureScheme,
        hash: Hash,
        prehash: &[u8],
        sig: &[u8],
    ) -> Result<bool> {
        let md = Md::of_signature(hash).ok_or_else(|| Error::internal("RSA with SM3/SHAKE"))?;
        let Some(em) = self.public_op(sig) else {
            return Ok(false);
        };
        if prehash.len() != md.len() {
            return Ok(false);
        }
        Ok(match scheme {
            SignatureScheme::RsaPss => pss_verify(md, prehash, &em),
            _ => em == pkcs1v15_signature_encoding(md, prehash, em.len()),
        })
    }

    /// KMS-style RSA encryption (RFC 8017 §7.1.1, §7.2.1) with fresh randomness from `backend`.
    pub(super) fn encrypt(
        &self,
        padding: RsaPadding,
        plaintext: &[u8],
        backend: &dyn Backend,
    ) -> Result<Vec<u8>> {
        let k = self.size();
        padding.check_plaintext(k, plaintext.len())?;
        let mut em = Zeroizing::new(vec![0u8; k]);
        let md = match padding {
            RsaPadding::OaepSha1 => Md::Sha1,
            RsaPadding::OaepSha256 => Md::Sha256,
            RsaPadding::OaepSha384 => Md::Sha384,
            RsaPadding::OaepSha512 => Md::Sha512,
            RsaPadding::Pkcs1v15 => {
                // 0x00 ‖ 0x02 ‖ PS (nonzero random, ≥ 8 bytes) ‖ 0x00 ‖ M
                em[1] = 2;
                let ps = &mut em[2..k - plaintext.len() - 1];
                backend.fill_random(ps)?;
                for b in ps.iter_mut() {
                    while *b == 0 {
                        let mut one = [0u8];
                        backend.fill_random(&mut one)?;
                        *b = one[0];
                    }
                }
                em[k - plaintext.len()..].copy_from_slice(plaintext);
                return self.encrypt_encoded(&em);
            }
        };
        // 0x00 ‖ maskedSeed ‖ maskedDB, DB = lHash ‖ PS (zeros) ‖ 0x01 ‖ M, empty label.
        let h = md.len();
        let (seed, db) = em[1..].split_at_mut(h);
        backend.fill_random(seed)?;
        db[..h].copy_from_slice(&md.hash(&[]));
        let m_at = db.len() - plaintext.len();
        db[m_at - 1] = 1;
        db[m_at..].copy_from_slice(plaintext);
        xor(db, &md.mgf1(seed, db.len()));
        xor(seed, &md.mgf1(db, h));
        self.encrypt_encoded(&em)
    }

    fn encrypt_encoded(&self, em: &[u8]) -> Result<Vec<u8>> {
        // em starts with 0x00 and n's top bit is set, so em < n.
        self.public_op(em)
            .ok_or_else(|| Error::internal("RSA encoding is not below the modulus"))
    }
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with sLen = hLen, over the k-byte RSAVP1 output; emBits
/// = modBits − 1 = 8k − 1, since every KMS modulus fills its bytes.
fn pss_verify(md: Md, m_hash: &[u8], em: &[u8]) -> bool {
    let h = md.len();
    if em.len() < 2 * h + 2 || em.last() != Some(&0xbc) {
        return false;
    }
    let (masked_db, rest) = em.split_at(em.len() - h - 1);
    let hash = &rest[..h];
    if masked_db[0] & 0x80 != 0 {
        return false;
    }
    let mut db = md.mgf1(hash, masked_db.len());
    xor(&mut db, masked_db);
    db[0] &= 0x7f;
    let ps = db.len() - h - 1;
    if db[..ps].iter().any(|b| *b != 0) || db[ps] != 1 {
        return false;
    }
    md.hash(&[&[0; 8], m_hash, &db[ps + 1..]]) == hash
}

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 0x00 ‖ 0x01 ‖ 0xFF… ‖ 0x00 ‖ DigestInfo, k bytes.
fn pkcs1v15_signature_encoding(md: Md, digest: &[u8], k: usize) -> Vec<u8> {
    let prefix = md.digest_info_prefix();
    let t_len = prefix.len() + digest.len();
    if k < t_len + 11 {
        return Vec::new();
    }
    let mut em = vec![0xff; k];
    (em[0], em[1], em[k - t_len - 1]) = (0, 1, 0);
    em[k - t_len..k - digest.len()].copy_from_slice(prefix);
    em[k - digest.len()..].copy_from_slice(digest);
    em
}

/// Big-endian bytes (a multiple of 4 long) → little-endian 32-bit limbs.
fn limbs(be: &[u8]) -> Vec<u32> {
    be.rchunks(4)
        .map(|c| c.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)))
        .collect()
}

/// a − b over equal-length limbs, and the final borrow (0 or 1).
fn sub_borrow(a: &[u32], b: &[u32]) -> (Vec<u32>, u32) {
    let mut borrow = 0u64;
    let d = a
        .iter()
        .zip(b)
        .map(|(a, b)| {
            let v = u64::from(*a)
                .wrapping_sub(u64::from(*b))
                .wrapping_sub(borrow);
            borrow = v >> 63;
            v as u32
        })
        .collect();
    (d, borrow as u32)
}

/// x ← 2x, returning the bit shifted out.
fn shl1(x: &mut [u32]) -> u32 {
    x.iter_mut().fold(0, |carry, l| {
        let out = *l >> 31;
        *l = *l << 1 | carry;
        out
    })
}

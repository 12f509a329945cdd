//! [u₁]G + [u₂]Q in variable time: the one expensive step of ECDSA and SM2DSA verification, for
//! the curves whose equation has a = −3 (P-256, P-384, P-521 and SM2).
//!
//! The curve crates' own `lincomb_vartime` works in projective coordinates with complete
//! formulas and rebuilds a table of G's multiples on every call. Here points are Jacobian
//! (a doubling is 3M + 5S), G's odd multiples up to 127G are computed once per process and kept
//! in affine form (mixed additions, a wider window: ~30 additions of G instead of ~50), and Q
//! gets a 5-bit window. In Chromium that made P-256 verification 1.6× and SM2 1.7× faster
//! (BENCHMARKS.md). Used for SM2DSA on every backend and for P-256 ECDSA on the RustCrypto
//! backend (the wasm one); P-384 and P-521 are implemented and tested, but the backend verifies
//! them with the `ecdsa` crate, since each curve's copy of this code costs wasm package size.
//! Everything handled here is public (a signature, a digest, a
//! public key), so variable time is safe; the exceptional cases of the addition formulas (equal
//! or opposite points) are handled, so crafted inputs get the right answer too.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::sec1::ToSec1Point;
use elliptic_curve::{AffinePoint, FieldBytes, Scalar};
use once_cell::race::OnceBox;
use primeorder::{PrimeCurveParams, PrimeFieldExt};

/// wNAF window for G: digits ±1, ±3, …, ±127, i.e. 64 cached points.
const G_WINDOW: usize = 8;
/// wNAF window for Q: 8 points computed per call.
const Q_WINDOW: usize = 5;

/// A curve whose multiples of G are cached.
pub(crate) trait Curve: PrimeCurveParams {
    /// G, 3G, 5G, …, (2^(G_WINDOW−1) − 1)G, computed on first use.
    fn generator_multiples() -> &'static [Affine<Self::FieldElement>];
}

macro_rules! cached_generator_multiples {
    ($($curve:ty),*) => {$(
        impl Curve for $curve {
            fn generator_multiples() -> &'static [Affine<Self::FieldElement>] {
                // once_cell's OnceBox: no_std (core + alloc) and thread-safe; racing first
                // callers may each compute the table, one of them is kept.
                static TABLE: OnceBox<Vec<Affine<<$curve as elliptic_curve::hazmat::FieldArithmetic>::FieldElement>>> =
                    OnceBox::new();
                TABLE.get_or_init(|| Box::new(generator_multiples::<$curve>()))
            }
        }
    )*};
}
cached_generator_multiples!(p256::NistP256, p384::NistP384, p521::NistP521, sm2::Sm2);

/// ECDSA verification (FIPS 186-5 §6.4.2) of (r, s) over the digest `z` for the public key `q`:
/// u₁ = z·s⁻¹, u₂ = r·s⁻¹, accept iff x([u₁]G + [u₂]Q) ≡ r (mod n). `z` is converted as the
/// `ecdsa` crate converts it (leftmost bytes, least significant bits of the order's size).
#[cfg(any(target_arch = "wasm32", feature = "rust-crypto"))] // the RustCrypto backend's ECDSA
pub(crate) fn ecdsa_verify<C: Curve>(
    q: &AffinePoint<C>,
    z: &[u8],
    r: &Scalar<C>,
    s: &Scalar<C>,
) -> bool {
    use elliptic_curve::ops::{Invert, Reduce};
    let Some(s_inv) = Option::<Scalar<C>>::from(s.invert_vartime()) else {
        return false;
    };
    let z = digest_scalar::<C>(z);
    match double_mul::<C>(&(z * s_inv), &(*r * s_inv), q) {
        Some(x) => *r == <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&x),
        None => false,
    }
}

/// The x coordinate of [u₁]G + [u₂]Q, or `None` for the point at infinity.
pub(crate) fn double_mul<C: Curve>(
    u1: &Scalar<C>,
    u2: &Scalar<C>,
    q: &AffinePoint<C>,
) -> Option<FieldBytes<C>> {
    let q = affine::<C>(q)?;
    let g = C::generator_multiples();
    let q_multiples = odd_multiples(&q, Q_WINDOW);
    let (d1, d2) = (
        wnaf(&u1.to_be_repr(), G_WINDOW),
        wnaf(&u2.to_be_repr(), Q_WINDOW),
    );
    let mut acc = Jacobian::INFINITY;
    let top = d1.iter().zip(&d2).rposition(|(a, b)| *a != 0 || *b != 0)?;
    for i in (0..=top).rev() {
        acc = acc.double();
        let (a, b) = (d1[i], d2[i]);
        if a != 0 {
            let p = &g[usize::from(a.unsigned_abs() >> 1)];
            acc = acc.add_affine(&if a > 0 { *p } else { p.neg() });
        }
        if b != 0 {
            let p = &q_multiples[usize::from(b.unsigned_abs() >> 1)];
            acc = acc.add(&if b > 0 { *p } else { p.neg() });
        }
    }
    acc.to_affine().map(|p| p.x.to_repr())
}

/// ecdsa's `bytes2scalar`: the leftmost field-size bytes of `z`, keeping the order's bit length
/// of their least significant bits, reduced modulo n.
#[cfg(any(target_arch = "wasm32", feature = "rust-crypto"))]
fn digest_scalar<C: Curve>(z: &[u8]) -> Scalar<C> {
    use elliptic_curve::bigint::BitOps;
    use elliptic_curve::ops::Reduce;
    let mut bytes = FieldBytes::<C>::default();
    let len = bytes.len();
    let z = &z[..z.len().min(len)];
    bytes[len - z.len()..].copy_from_slice(z);
    let excess = len * 8 - usize::try_from(C::ORDER.bits()).unwrap_or(len * 8);
    bytes[0] &= 0xff >> excess.min(8);
    <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&bytes)
}

fn affine<C: Curve>(p: &AffinePoint<C>) -> Option<Affine<C::FieldElement>> {
    let encoded = p.to_sec1_point(false);
    let (x, y) = (encoded.x()?, encoded.y()?);
    Some(Affine {
        x: Option::from(C::FieldElement::from_repr(*x))?,
        y: Option::from(C::FieldElement::from_repr(*y))?,
    })
}

fn generator_multiples<C: Curve>() -> Vec<Affine<C::FieldElement>> {
    let (x, y) = C::GENERATOR;
    odd_multiples(&Affine { x, y }, G_WINDOW)
        .iter()
        .filter_map(|p| p.to_affine())
        .collect()
}

/// P, 3P, 5P, …, (2^(w−1) − 1)P.
fn odd_multiples<F: Field>(p: &Affine<F>, w: usize) -> Vec<Jacobian<F>> {
    let p = Jacobian::from_affine(p);
    let twice = p.double();
    let mut out = Vec::with_capacity(1 << (w - 2));
    out.push(p);
    for i in 1..1 << (w - 2) {
        out.push(out[i - 1].add(&twice));
    }
    out
}

/// Width-w non-adjacent form of a big-endian integer, least significant digit first: every
/// nonzero digit is odd and below 2^(w−1) in magnitude, and any w consecutive digits hold at
/// most one nonzero.
fn wnaf(be: &[u8], w: usize) -> Vec<i8> {
    let bits = be.len() * 8;
    let bit = |i: usize| -> u32 {
        if i < bits {
            u32::from(be[be.len() - 1 - i / 8] >> (i % 8) & 1)
        } else {
            0
        }
    };
    let width = 1u32 << w;
    let mut digits = vec![0i8; bits + 1];
    let (mut pos, mut carry) = (0, 0);
    while pos < digits.len() {
        let window = carry + (0..w).map(|k| bit(pos + k) << k).sum::<u32>();
        if window & 1 == 0 {
            // carry + bit is 0 or 2: a zero digit here, the carry (if any) moves up
            pos += 1;
            continue;
        }
        // |digit| < 2^(w-1) <= 128: fits an i8 either way
        let digit = if window < width / 2 {
            window as i32
        } else {
            window as i32 - width as i32
        };
        carry = u32::from(digit < 0);
        digits[pos] = digit as i8;
        pos += w;
    }
    digits
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Affine<F> {
    x: F,
    y: F,
}

impl<F: Field> Affine<F> {
    fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: -self.y,
        }
    }
}

/// (X, Y, Z) for the affine point (X/Z², Y/Z³); Z = 0 is the point at infinity.
#[derive(Clone, Copy, Debug)]
struct Jacobian<F> {
    x: F,
    y: F,
    z: F,
}

impl<F: Field> Jacobian<F> {
    const INFINITY: Self = Self {
        x: F::ONE,
        y: F::ONE,
        z: F::ZERO,
    };

    fn from_affine(p: &Affine<F>) -> Self {
        Self {
            x: p.x,
            y: p.y,
            z: F::ONE,
        }
    }

    fn is_infinity(&self) -> bool {
        self.z.is_zero_vartime()
    }

    fn neg(&self) -> Self {
        Self {
            y: -self.y,
            ..*self
        }
    }

    fn to_affine(self) -> Option<Affine<F>> {
        let z_inv = Option::<F>::from(self.z.invert())?;
        let z_inv2 = z_inv.square();
        Some(Affine {
            x: self.x * z_inv2,
            y: self.y * z_inv2 * z_inv,
        })
    }

    /// dbl-2001-b (a = −3). Infinity doubles to infinity (Z stays 0); prime-order curves have
    /// no point with Y = 0.
    fn double(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta4 = (self.x * gamma).double().double();
        let t = (self.x - delta) * (self.x + delta);
        let alpha = t.double() + t;
        let x = alpha.square() - beta4.double();
        let z = (self.y + self.z).square() - gamma - delta;
        let y = alpha * (beta4 - x) - gamma.square().double().double().double();
        Self { x, y, z }
    }

    /// add-2007-bl.
    fn add(&self, q: &Self) -> Self {
        if self.is_infinity() {
            return *q;
        }
        if q.is_infinity() {
            return *self;
        }
        let (z1z1, z2z2) = (self.z.square(), q.z.square());
        let (u1, u2) = (self.x * z2z2, q.x * z1z1);
        let (s1, s2) = (self.y * q.z * z2z2, q.y * self.z * z1z1);
        let (h, r) = (u2 - u1, (s2 - s1).double());
        if h.is_zero_vartime() {
            return if r.is_zero_vartime() {
                self.double()
            } else {
                Self::INFINITY
            };
        }
        let i = h.double().square();
        let j = h * i;
        let v = u1 * i;
        let x = r.square() - j - v.double();
        let y = r * (v - x) - (s1 * j).double();
        let z = ((self.z + q.z).square() - z1z1 - z2z2) * h;
        Self { x, y, z }
    }

    /// madd-2007-bl: `self` + an affine point.
    fn add_affine(&self, q: &Affine<F>) -> Self {
        if self.is_infinity() {
            return Self::from_affine(q);
        }
        let z1z1 = self.z.square();
        let u2 = q.x * z1z1;
        let s2 = q.y * self.z * z1z1;
        let (h, r) = (u2 - self.x, (s2 - self.y).double());
        if h.is_zero_vartime() {
            return if r.is_zero_vartime() {
                self.double()
            } else {
                Self::INFINITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let v = self.x * i;
        let x = r.square() - j - v.double();
        let y = r * (v - x) - (self.y * j).double();
        let z = (self.z + h).square() - z1z1 - hh;
        Self { x, y, z }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use elliptic_curve::Group;
    use elliptic_curve::point::AffineCoordinates;
    use primeorder::ProjectivePoint;

    /// A deterministic stream of scalars, edge values first.
    fn scalars<C: Curve>() -> Vec<Scalar<C>> {
        let mut out = vec![
            Scalar::<C>::ZERO,
            Scalar::<C>::ONE,
            -Scalar::<C>::ONE,
            Scalar::<C>::from(2u64),
        ];
        let mut x = Scalar::<C>::from(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..24 {
            x = x.square() + Scalar::<C>::from(7u64);
            out.push(x);
        }
        out
    }

    /// Against the curve crate's constant-time multiplication, including Q = ±G and results
    /// at infinity.
    fn matches_reference<C: Curve>() {
        let g = ProjectivePoint::<C>::GENERATOR;
        let ss = scalars::<C>();
        for (i, u1) in ss.iter().enumerate() {
            let u2 = ss[(i * 7 + 3) % ss.len()];
            let k = ss[(i * 5 + 1) % ss.len()];
            let points = [g * k, g, -g, g * (*u1 + *u1)];
            for q in points {
                if bool::from(q.is_identity()) {
                    continue;
                }
                let expected = g * u1 + q * u2;
                let got = double_mul::<C>(u1, &u2, &q.to_affine());
                if bool::from(expected.is_identity()) {
                    assert_eq!(got, None);
                } else {
                    assert_eq!(got, Some(expected.to_affine().x()));
                }
            }
        }
        // u1·G + u2·(−G) with u1 = u2: the sum is infinity
        let u = ss[5];
        assert_eq!(double_mul::<C>(&u, &u, &(-g).to_affine()), None);
    }

    #[test]
    fn double_mul_matches_the_curve_crates() {
        matches_reference::<p256::NistP256>();
        matches_reference::<p384::NistP384>();
        matches_reference::<p521::NistP521>();
        matches_reference::<sm2::Sm2>();
    }

    #[test]
    fn wnaf_digits_rebuild_the_integer() {
        for w in [2, 5, 8] {
            for v in [
                0u64,
                1,
                2,
                0x7f,
                0x80,
                0xff,
                0xffff_ffff_ffff_ffff,
                0x8000_0000_0000_0001,
                0xdead_beef_0bad_cafe,
            ] {
                let digits = wnaf(&v.to_be_bytes(), w);
                let sum: i128 = digits
                    .iter()
                    .enumerate()
                    .map(|(i, d)| i128::from(*d) << i)
                    .sum();
                assert_eq!(sum, i128::from(v), "w={w} v={v:#x}");
                for (i, d) in digits.iter().enumerate() {
                    if *d != 0 {
                        assert!(d % 2 != 0 && i32::from(d.unsigned_abs()) < 1 << (w - 1));
                        assert!(
                            digits[i + 1..(i + w).min(digits.len())]
                                .iter()
                                .all(|e| *e == 0)
                        );
                    }
                }
            }
        }
    }
}

//! SEC1 points (`04‖x‖y`, or `02`/`03‖x` compressed) as public keys on the five KMS curves.
//!
//! Decompression takes y = (x³ + ax + b)^((p+1)/4), since every KMS curve has p ≡ 3 (mod 4),
//! with the field's generic `pow_vartime`: a public key is public, so variable time is fine.
//! The curve crates' own square roots are constant-time addition chains that inline their
//! field multiplication hundreds of times (k256's alone is 28 KB of wasm); going around them
//! keeps them out of the wasm package (BENCHMARKS.md, "wasm package size").

use alloc::vec::Vec;
use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::hazmat::FieldArithmetic;
use elliptic_curve::point::AffineCoordinates;
use elliptic_curve::{AffinePoint, FieldBytes, PublicKey};

type Fe<C> = <C as FieldArithmetic>::FieldElement;

/// A KMS curve: its equation's right-hand side, and how to bring a field element to its
/// canonical form.
pub(crate) trait Curve: FieldArithmetic {
    /// x³ + ax + b.
    fn rhs(x: &Fe<Self>) -> Fe<Self>;
    /// The canonical representative: `k256` keeps field elements lazily reduced, and its
    /// equality and parity tests read the raw limbs.
    fn normalize(v: Fe<Self>) -> Fe<Self> {
        v
    }
}

macro_rules! a_minus_3 {
    ($($curve:ty),*) => {$(
        impl Curve for $curve {
            fn rhs(x: &Fe<Self>) -> Fe<Self> {
                use primeorder::PrimeCurveParams;
                *x * x * x + Self::EQUATION_A * x + Self::EQUATION_B
            }
        }
    )*};
}
a_minus_3!(p256::NistP256, p384::NistP384, p521::NistP521, sm2::Sm2);

impl Curve for k256::Secp256k1 {
    fn rhs(x: &Fe<Self>) -> Fe<Self> {
        *x * x * x + Fe::<Self>::from(7)
    }
    fn normalize(v: Fe<Self>) -> Fe<Self> {
        v.normalize()
    }
}

/// The public key encoded by `sec1`, or `None` if it is not a point of `C` (bad length or
/// tag, a coordinate not below p, not on the curve, the point at infinity).
pub(crate) fn public_key<C: Curve>(sec1: &[u8]) -> Option<PublicKey<C>> {
    let len = FieldBytes::<C>::default().len();
    let field_bytes = |b: &[u8]| {
        let mut out = FieldBytes::<C>::default();
        out.copy_from_slice(b);
        out
    };
    let (x, y) = match sec1.split_first() {
        Some((4, xy)) if xy.len() == 2 * len => (field_bytes(&xy[..len]), field_bytes(&xy[len..])),
        Some((tag @ (2 | 3), x)) if x.len() == len => {
            let x = field_bytes(x);
            let y = decompress::<C>(&x, *tag == 3)?;
            (x, y)
        }
        _ => return None,
    };
    let point: AffinePoint<C> = Option::from(AffinePoint::<C>::from_coordinates(&x, &y))?;
    PublicKey::from_affine(point).ok()
}

/// The y with the given parity for which (x, y) is on the curve.
fn decompress<C: Curve>(x: &FieldBytes<C>, odd: bool) -> Option<FieldBytes<C>> {
    let x: Fe<C> = Option::from(Fe::<C>::from_repr(*x))?;
    let rhs = C::normalize(C::rhs(&x));
    let y = C::normalize(rhs.pow_vartime(sqrt_exponent::<C>()));
    if C::normalize(y.square()) != rhs {
        return None; // x³ + ax + b is not a square: no point has this x
    }
    let y = if bool::from(y.is_odd()) == odd {
        y
    } else {
        C::normalize(-y)
    };
    // y = 0 has no odd form (no KMS curve has such a point; checked all the same)
    (bool::from(y.is_odd()) == odd).then(|| y.to_repr())
}

/// (p + 1) / 4 as little-endian 64-bit limbs, from p − 1 = −1 in the field (big-endian repr).
fn sqrt_exponent<C: Curve>() -> Vec<u64> {
    let mut be = C::normalize(-Fe::<C>::ONE).to_repr().to_vec();
    let mut carry = 2u16; // p − 1 + 2
    for b in be.iter_mut().rev() {
        let s = u16::from(*b) + carry;
        (*b, carry) = (s as u8, s >> 8);
    }
    let mut shifted = 0u8; // then >> 2, most significant byte first
    for b in &mut be {
        (*b, shifted) = (shifted << 6 | *b >> 2, *b & 3);
    }
    be.rchunks(8)
        .map(|c| c.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b)))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]
    use super::*;
    use elliptic_curve::sec1::{FromSec1Point, ToSec1Point};
    use elliptic_curve::{CurveArithmetic, Generate, Group, ProjectivePoint};

    /// Points from random multiples of G: both encodings give the curve crate's point, and
    /// broken encodings are refused the same way the crate refuses them.
    fn matches_the_curve_crate<C>()
    where
        C: Curve + CurveArithmetic,
        AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
    {
        for i in 0..40 {
            let k = elliptic_curve::NonZeroScalar::<C>::generate();
            let p = PublicKey::<C>::from_secret_scalar(&k);
            for compress in [false, true] {
                let sec1 = p.to_sec1_point(compress);
                assert_eq!(public_key::<C>(sec1.as_bytes()), Some(p), "{i} {compress}");
                // flip the parity tag, or a bit of x / y
                let mut bad = sec1.as_bytes().to_vec();
                let j = if compress && i % 2 == 0 {
                    0
                } else {
                    1 + i % (bad.len() - 1)
                };
                bad[j] ^= 1;
                assert_eq!(
                    public_key::<C>(&bad),
                    PublicKey::<C>::from_sec1_bytes(&bad).ok(),
                    "{i} {compress} byte {j}"
                );
            }
        }
        let g = ProjectivePoint::<C>::generator();
        let g = PublicKey::<C>::from_affine(g.into()).unwrap();
        let sec1 = g.to_sec1_point(true);
        let len = sec1.as_bytes().len();
        assert_eq!(public_key::<C>(&sec1.as_bytes()[..len - 1]), None);
        assert_eq!(public_key::<C>(&[0]), None);
        assert_eq!(public_key::<C>(&[]), None);
        // x = p − 1 + 1 = p: not a field element
        let mut x_is_p = sec1.as_bytes().to_vec();
        let p_minus_1 = C::normalize(-Fe::<C>::ONE).to_repr();
        x_is_p[1..].copy_from_slice(&p_minus_1);
        let last = x_is_p.len() - 1;
        x_is_p[last] += 1;
        assert_eq!(public_key::<C>(&x_is_p), None);
    }

    #[test]
    fn decoding_matches_the_curve_crates() {
        matches_the_curve_crate::<p256::NistP256>();
        matches_the_curve_crate::<p384::NistP384>();
        matches_the_curve_crate::<p521::NistP521>();
        matches_the_curve_crate::<k256::Secp256k1>();
        matches_the_curve_crate::<sm2::Sm2>();
    }
}

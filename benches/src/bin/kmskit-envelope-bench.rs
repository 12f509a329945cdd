//! Envelope encryption throughput, native, one thread (issue 8): `kmskit::envelope` encrypt and
//! decrypt of 1 MiB and 64 MiB messages (raw AES-256 keyring, suites 0x0478 and 0x0578), next
//! to raw AES-256-GCM seal/open from aws-lc-rs over the same bytes, in the same process.
//!
//! Rows, per size:
//! - kmskit one shot: `envelope::encrypt` / `envelope::decrypt` (a fresh output `Vec` per
//!   message; decrypt's plaintext is zeroized on drop), frame length 4096 (the default) for both
//!   suites, and 65,536 for 0x0478;
//! - where one-shot decrypt's time goes: the same call with the plaintext taken out of its
//!   `Secret` (`into_vec`, so not zeroized on drop), and a plaintext-sized buffer allocated,
//!   filled and dropped as a `Vec` and as a `Secret` (whose drop zeroizes it);
//! - kmskit incremental: `Encryptor` / `Decryptor` fed 1 MiB chunks, output buffer reused;
//! - aws-lc-rs `LessSafeKey` AES-256-GCM: one call over the whole buffer (seal in place, open
//!   into a preallocated buffer), one call per 4096 bytes (kmskit's frame granularity), and one
//!   call into a freshly allocated `Vec` (what a one-shot API has to do). AAD of 72 bytes, the
//!   size of a message frame's;
//! - aws-lc-rs SHA-384 over the same bytes: 0x0578's footer signature hashes the whole message;
//! - the fixed cost of a message: encrypt and decrypt of an empty one, µs (not GB/s).
//!
//! Prints the peers' TSV rows (`peer\toperation\tvalue\tunit`, GB/s = 10^9 bytes of plaintext
//! per second); `benches/envelope/run.py` puts them in tables. Env: `BENCH_SECONDS` (default 2)
//! per row, `BENCH_SIZES_MIB` (default `1,64`).

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, Tag, UnboundKey};
use kmskit::envelope::{
    self, AlgorithmSuite, DecryptOptions, Decryptor, EncryptOptions, Encryptor, RawAesKeyring,
};
use kmskit::{Error, Result};
use std::hint::black_box;
use std::time::{Duration, Instant};

const AAD_LEN: usize = 72;
const CHUNK: usize = 4096;

/// Calls `f` for `seconds` of wall time after a warm-up (at least one call, 0.1 s);
/// returns `per_call` × calls / s, or the first error.
fn rate(seconds: f64, per_call: f64, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let warm = Instant::now();
    f()?;
    while warm.elapsed() < Duration::from_millis(100) {
        f()?;
    }
    let (start, mut n) = (Instant::now(), 0u64);
    loop {
        f()?;
        n += 1;
        let t = start.elapsed().as_secs_f64();
        if t >= seconds {
            return Ok(per_call * n as f64 / t);
        }
    }
}

/// An aws-lc-rs failure as a kmskit error (this binary's one error type).
fn lc<T>(r: std::result::Result<T, aws_lc_rs::error::Unspecified>) -> Result<T> {
    r.map_err(|_| Error::internal("aws-lc-rs AES-GCM failed"))
}

fn nonce(i: usize) -> Nonce {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&(i as u64).to_be_bytes());
    Nonce::assume_unique_for_key(n)
}

fn main() -> Result<()> {
    let seconds: f64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES_MIB")
        .unwrap_or_else(|_| "1,64".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let ours = format!("kmskit {} native", env!("CARGO_PKG_VERSION"));
    let gcm = "aws-lc-rs 1.19 AES-256-GCM";
    let row = |who: &str, op: &str, v: f64| println!("{who}\t{op}\t{v:.6}\tGB/s");

    let keyring = RawAesKeyring::new("bench", "key-1", &[7u8; 32])?;
    let context: envelope::EncryptionContext =
        [("purpose".to_string(), "bench".to_string())].into();
    let options = |suite: u16, frame_length: u32| EncryptOptions {
        encryption_context: context.clone(),
        suite: AlgorithmSuite::from_id(suite),
        frame_length,
        ..EncryptOptions::default()
    };
    let dopts = DecryptOptions::default();
    let key = LessSafeKey::new(lc(UnboundKey::new(&AES_256_GCM, &[9u8; 32]))?);
    let aad = [0x5au8; AAD_LEN];

    for mib in sizes {
        let n = mib << 20;
        let gb = n as f64 / 1e9;
        let data: Vec<u8> = (0..n).map(|i| (i.wrapping_mul(31) + 7) as u8).collect();

        // ------------------------------------------------------------- kmskit, one shot
        for (suite, fl) in [(0x0478u16, 4096u32), (0x0578, 4096), (0x0478, 65536)] {
            let o = options(suite, fl);
            let message = envelope::encrypt(&data, &keyring, &o)?;
            let d = envelope::decrypt(&message, &keyring, &dopts)?;
            assert!(d.plaintext.expose() == data.as_slice() && d.suite.id() == suite);
            drop(d);
            let what = format!("{mib} MiB (0x{suite:04x}, frame {fl})");
            let enc = rate(seconds, gb, || {
                black_box(envelope::encrypt(black_box(&data), &keyring, &o)?);
                Ok(())
            })?;
            row(&ours, &format!("encrypt {what}"), enc);
            let dec = rate(seconds, gb, || {
                black_box(envelope::decrypt(black_box(&message), &keyring, &dopts)?);
                Ok(())
            })?;
            row(&ours, &format!("decrypt {what}"), dec);
        }

        // ------------------------------------------------------------- where decrypt's time goes
        // the same one-shot decrypt, with the plaintext taken out of its `Secret` (so it is not
        // zeroized on drop)
        let o = options(0x0478, 4096);
        let message = envelope::encrypt(&data, &keyring, &o)?;
        let v = rate(seconds, gb, || {
            let d = envelope::decrypt(black_box(&message), &keyring, &dopts)?;
            black_box(d.plaintext.into_vec());
            Ok(())
        })?;
        row(
            &ours,
            &format!(
                "decrypt {mib} MiB (0x0478, frame 4096), plaintext via Secret::into_vec (not zeroized)"
            ),
            v,
        );
        // `Secret`'s drop is the derived `Zeroize` of its `Vec<u8>`; zeroize 1.9's `Vec` impl
        // wipes the elements one at a time (`iter_mut().zeroize()`: a volatile write per byte).
        // Timed as the difference of two loops: a plaintext-sized buffer allocated, filled and
        // dropped as a `Vec`, and the same dropped as a `Secret`.
        let v = rate(seconds, gb, || {
            drop(black_box(vec![1u8; n]));
            Ok(())
        })?;
        row(
            &ours,
            &format!("allocate, fill and drop a {mib} MiB Vec<u8>"),
            v,
        );
        let v = rate(seconds, gb, || {
            drop(black_box(kmskit::Secret::new(vec![1u8; n])));
            Ok(())
        })?;
        row(
            &ours,
            &format!("allocate, fill and drop a {mib} MiB Secret (zeroized on drop)"),
            v,
        );

        // ------------------------------------------------------------- kmskit, incremental
        let mut out = Vec::with_capacity((1 << 20) + 65536);
        let what = format!("{mib} MiB (0x0478, frame 4096), 1 MiB chunks, output reused");
        let mut check = Vec::new();
        let mut d = Decryptor::new(&keyring, dopts.clone());
        for c in message.chunks(1 << 20) {
            d.update(c, &mut check)?;
        }
        d.finish(&mut check)?;
        assert!(check == data);
        let v = rate(seconds, gb, || {
            let mut e = Encryptor::new(&keyring, &o)?;
            for c in data.chunks(1 << 20) {
                out.clear();
                e.update(black_box(c), &mut out)?;
                black_box(&out);
            }
            out.clear();
            e.finish(&mut out)
        })?;
        row(&ours, &format!("Encryptor {what}"), v);
        let v = rate(seconds, gb, || {
            let mut d = Decryptor::new(&keyring, dopts.clone());
            for c in message.chunks(1 << 20) {
                out.clear();
                d.update(black_box(c), &mut out)?;
                black_box(&out);
            }
            out.clear();
            black_box(d.finish(&mut out)?);
            Ok(())
        })?;
        row(&ours, &format!("Decryptor {what}"), v);

        // ------------------------------------------------------------- aws-lc-rs AES-256-GCM
        // one call over the buffer: seal in place (the buffer stays ciphertext-sized), open
        // from the ciphertext into a preallocated buffer
        let mut buf = data.clone();
        let tag: Tag = lc(key.seal_in_place_separate_tag(nonce(0), Aad::from(aad), &mut buf))?;
        let ciphertext = buf.clone();
        let mut plain = vec![0u8; n];
        lc(key.open_separate_gather(
            nonce(0),
            Aad::from(aad),
            &ciphertext,
            tag.as_ref(),
            &mut plain,
        ))?;
        assert!(plain == data);
        let v = rate(seconds, gb, || {
            let _tag = black_box(lc(key.seal_in_place_separate_tag(
                nonce(0),
                Aad::from(aad),
                &mut buf,
            ))?);
            Ok(())
        })?;
        row(gcm, &format!("seal {mib} MiB, one call, in place"), v);
        let v = rate(seconds, gb, || {
            lc(key.open_separate_gather(
                nonce(0),
                Aad::from(aad),
                &ciphertext,
                tag.as_ref(),
                &mut plain,
            ))?;
            black_box(&plain);
            Ok(())
        })?;
        row(
            gcm,
            &format!("open {mib} MiB, one call, into a preallocated buffer"),
            v,
        );
        // a fresh Vec per message: what a one-shot encrypt/decrypt returns
        let v = rate(seconds, gb, || {
            let mut v = black_box(&data).to_vec();
            let t = lc(key.seal_in_place_separate_tag(nonce(0), Aad::from(aad), &mut v))?;
            let _kept = black_box((v, t));
            Ok(())
        })?;
        row(
            gcm,
            &format!("seal {mib} MiB, one call, into a fresh Vec (copy + seal)"),
            v,
        );
        let v = rate(seconds, gb, || {
            let mut v = vec![0u8; n];
            lc(key.open_separate_gather(
                nonce(0),
                Aad::from(aad),
                &ciphertext,
                tag.as_ref(),
                &mut v,
            ))?;
            black_box(v);
            Ok(())
        })?;
        row(
            gcm,
            &format!("open {mib} MiB, one call, into a fresh Vec"),
            v,
        );
        // one call per 4096 bytes (a frame's worth), each with its own nonce and tag
        let mut chunked = data.clone();
        let mut tags = Vec::new();
        for (i, c) in chunked.chunks_mut(CHUNK).enumerate() {
            tags.push(lc(key.seal_in_place_separate_tag(
                nonce(i),
                Aad::from(aad),
                c,
            ))?);
        }
        let chunked_ct = chunked.clone();
        let open_chunks = |plain: &mut [u8]| -> Result<()> {
            for (i, (c, p)) in chunked_ct
                .chunks(CHUNK)
                .zip(plain.chunks_mut(CHUNK))
                .enumerate()
            {
                lc(key.open_separate_gather(nonce(i), Aad::from(aad), c, tags[i].as_ref(), p))?;
            }
            Ok(())
        };
        plain.fill(0);
        open_chunks(&mut plain)?;
        assert!(plain == data);
        let v = rate(seconds, gb, || {
            for (i, c) in chunked.chunks_mut(CHUNK).enumerate() {
                let _tag = black_box(lc(key.seal_in_place_separate_tag(
                    nonce(i),
                    Aad::from(aad),
                    c,
                ))?);
            }
            Ok(())
        })?;
        row(
            gcm,
            &format!("seal {mib} MiB, one call per 4096 bytes, in place"),
            v,
        );
        let v = rate(seconds, gb, || open_chunks(black_box(&mut plain)))?;
        row(
            gcm,
            &format!("open {mib} MiB, one call per 4096 bytes, into a preallocated buffer"),
            v,
        );

        // ------------------------------------------------------------- aws-lc-rs SHA-384
        // 0x0578 signs the whole message: SHA-384 over every byte bounds its throughput
        let v = rate(seconds, gb, || {
            black_box(aws_lc_rs::digest::digest(
                &aws_lc_rs::digest::SHA384,
                black_box(&data),
            ));
            Ok(())
        })?;
        row(
            "aws-lc-rs 1.19 SHA-384",
            &format!("digest {mib} MiB (0x0578's signature hashes the whole message)"),
            v,
        );
    }

    // ------------------------------------------------------------- per-message fixed cost
    // an empty message: data key, key wrap, HKDF and commitment, header and its tag (and for
    // 0x0578 a P-384 key pair, the signature and its check), without any body to speak of
    for suite in [0x0478u16, 0x0578] {
        let o = options(suite, 4096);
        let message = envelope::encrypt(&[], &keyring, &o)?;
        let enc = rate(seconds, 1.0, || {
            black_box(envelope::encrypt(black_box(&[]), &keyring, &o)?);
            Ok(())
        })?;
        println!(
            "{ours}\tencrypt an empty message (0x{suite:04x}), fixed cost\t{:.6}\tµs",
            1e6 / enc
        );
        let dec = rate(seconds, 1.0, || {
            black_box(envelope::decrypt(black_box(&message), &keyring, &dopts)?);
            Ok(())
        })?;
        println!(
            "{ours}\tdecrypt an empty message (0x{suite:04x}), fixed cost\t{:.6}\tµs",
            1e6 / dec
        );
    }
    Ok(())
}

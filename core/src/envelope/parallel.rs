//! Regular frames sealed on several threads, for one-shot encryption of large messages.
//!
//! Each frame has its own IV and AAD (its sequence number), so the frames of a message whose
//! plaintext is all at hand are independent: the output is byte for byte what one thread
//! writes, only sooner. std only, and not on wasm32 (no threads there); without it the caller
//! seals the frames one after another as before.

use super::frame::{self, REGULAR_OVERHEAD};
use super::sink::Fixed;
use crate::backend::AesGcmKey;
use crate::error::Result;

/// At least this much plaintext per thread. Starting and joining a thread costs tens of µs,
/// and a 1 MiB message takes ~130 µs on one core here: measured, 1 MiB on two threads was
/// slower than on one, 64 MiB twice as fast.
const MIN_BYTES_PER_THREAD: usize = 2 << 20;
/// At most this many threads per message.
#[cfg(all(feature = "std", not(target_arch = "wasm32")))]
const MAX_THREADS: usize = 8;

/// How many threads should seal `bytes` of regular frames: 1 means "on this one".
pub(crate) fn threads_for(bytes: usize) -> usize {
    let wanted = bytes / MIN_BYTES_PER_THREAD;
    if wanted < 2 {
        return 1;
    }
    wanted.min(cores())
}

/// The cores this process may use (at most [`MAX_THREADS`]), asked once: the question reads
/// cgroup files on Linux (~20 µs).
#[cfg(all(feature = "std", not(target_arch = "wasm32")))]
fn cores() -> usize {
    use core::sync::atomic::{AtomicUsize, Ordering};
    static CORES: AtomicUsize = AtomicUsize::new(0);
    match CORES.load(Ordering::Relaxed) {
        0 => {
            let n = std::thread::available_parallelism()
                .map_or(1, core::num::NonZero::get)
                .min(MAX_THREADS);
            CORES.store(n, Ordering::Relaxed);
            n
        }
        n => n,
    }
}

/// No threads without std, nor on wasm32.
#[cfg(not(all(feature = "std", not(target_arch = "wasm32"))))]
fn cores() -> usize {
    1
}

/// Seals `plaintext` (a whole number of frames of `frame_length` bytes) as regular frames
/// `first_seq`, `first_seq + 1`, … into `out` (exactly their encoded length), split over
/// `threads` threads. The caller checked that the sequence numbers stay below the final marker.
///
/// # Errors
/// The first error of any frame; `out` may then be partly written (the caller wipes it).
pub(crate) fn seal_regular(
    key: &dyn AesGcmKey,
    message_id: &[u8],
    first_seq: u32,
    frame_length: usize,
    plaintext: &[u8],
    out: &mut [u8],
    threads: usize,
) -> Result<()> {
    let frames = plaintext.len() / frame_length;
    let encoded = frame_length + REGULAR_OVERHEAD as usize;
    if !plaintext.len().is_multiple_of(frame_length)
        || Some(out.len()) != frames.checked_mul(encoded)
    {
        return Err(crate::error::Error::internal(
            "frames and output do not match",
        ));
    }
    let per_run = frames.div_ceil(threads.max(1)).max(1);
    let runs = plaintext
        .chunks(per_run * frame_length)
        .zip(out.chunks_mut(per_run * encoded))
        .zip((0u32..).map(|i| first_seq + i * per_run as u32));
    #[cfg(all(feature = "std", not(target_arch = "wasm32")))]
    {
        use crate::error::Error;
        // A queue of runs: helper threads and this one take runs until none is left, so a
        // helper that cannot start leaves its share to the others instead of failing.
        let queue = std::sync::Mutex::new(runs.collect::<alloc::vec::Vec<_>>());
        let work = || -> Result<()> {
            loop {
                let next = queue
                    .lock()
                    .map_err(|_| Error::internal("a sealing thread failed"))?
                    .pop();
                let Some(((p, o), seq)) = next else {
                    return Ok(());
                };
                seal_run(key, message_id, seq, frame_length, p, o)?;
            }
        };
        std::thread::scope(|scope| {
            let helpers: alloc::vec::Vec<_> = (1..threads)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
                .collect();
            let mine = work();
            helpers.into_iter().fold(mine, |all, h| {
                let one = h
                    .join()
                    .unwrap_or_else(|_| Err(Error::internal("a sealing thread failed")));
                all.and(one)
            })
        })
    }
    #[cfg(not(all(feature = "std", not(target_arch = "wasm32"))))]
    {
        let _ = threads;
        runs.map(|((p, o), seq)| seal_run(key, message_id, seq, frame_length, p, o))
            .collect()
    }
}

/// Frames `seq`, `seq + 1`, … of `plaintext` into `out`, on the calling thread.
fn seal_run(
    key: &dyn AesGcmKey,
    message_id: &[u8],
    seq: u32,
    frame_length: usize,
    plaintext: &[u8],
    out: &mut [u8],
) -> Result<()> {
    let mut sink = Fixed::new(out);
    for (i, p) in (0u32..).zip(plaintext.chunks(frame_length)) {
        frame::seal(key, message_id, seq + i, false, p, &mut sink)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    /// Any split over any number of threads writes what one run writes, for frame counts that
    /// do and do not divide evenly, and reports a too-short output as an error.
    #[test]
    fn threads_write_the_same_bytes_as_one_run() {
        for backend in crate::backend::all() {
            let key = backend.aes_gcm_key(&[7u8; 32]).unwrap();
            let id = [9u8; 32];
            for (frame_length, frames) in [(1usize, 1usize), (7, 10), (4096, 33), (64, 5)] {
                let plaintext: alloc::vec::Vec<u8> = (0..frame_length * frames)
                    .map(|i| (i * 31 % 251) as u8)
                    .collect();
                let encoded = frames * (frame_length + REGULAR_OVERHEAD as usize);
                let mut one = alloc::vec![0u8; encoded];
                seal_run(&*key, &id, 5, frame_length, &plaintext, &mut one).unwrap();
                for threads in 1..=5 {
                    let mut many = alloc::vec![0u8; encoded];
                    seal_regular(&*key, &id, 5, frame_length, &plaintext, &mut many, threads)
                        .unwrap();
                    assert_eq!(
                        many, one,
                        "frame length {frame_length}, {frames} frames, {threads} threads"
                    );
                }
                let mut short = alloc::vec![0u8; encoded - 1];
                assert!(
                    seal_regular(&*key, &id, 5, frame_length, &plaintext, &mut short, 3).is_err()
                );
            }
        }
    }

    #[test]
    fn small_inputs_stay_on_one_thread() {
        assert_eq!(threads_for(0), 1);
        assert_eq!(threads_for(MIN_BYTES_PER_THREAD - 1), 1);
        assert!(threads_for(MAX_THREADS * MIN_BYTES_PER_THREAD * 4) <= MAX_THREADS);
    }
}

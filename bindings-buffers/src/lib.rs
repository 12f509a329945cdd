//! Message-sized buffers for the Python and Node bindings.
//!
//! A binding that returns a 64 MiB message returns a buffer of fresh `mmap`ed memory, and on
//! Linux faulting it in 4 KiB at a time costs more than encrypting it (BENCHMARKS.md, "Envelope
//! encryption"). Marking the buffer for transparent huge pages before its first write makes the
//! page-in 2–2.5× faster. This is platform glue only: what goes into the buffers is core's.

use std::mem::MaybeUninit;

/// Asks the kernel to back the 2 MiB-aligned interior of `buf` with huge pages. A hint: a no-op
/// off Linux, where transparent huge pages are off, or for buffers under 4 MiB.
pub fn prefer_huge_pages(buf: &mut [MaybeUninit<u8>]) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        if buf.len() < 2 * HUGE {
            return;
        }
        let base = buf.as_mut_ptr() as usize;
        let start = base.next_multiple_of(HUGE);
        let end = (base + buf.len()) & !(HUGE - 1);
        if end > start {
            // SAFETY: [start, end) lies inside `buf`, which we borrow mutably; madvise changes
            // only how the kernel backs the range, never its contents, and failing is harmless.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = buf;
}

/// A zeroed `Vec` of `len` bytes, allocated for huge pages when large.
///
/// `vec![0; len]` allocates with `calloc`, which for a large buffer maps fresh zero pages
/// without writing them: the hint still comes before the first write, and the caller's write
/// is the only pass over the memory (a `resize` would add a second one).
pub fn zeroed(len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    let (ptr, len) = (v.as_mut_ptr(), v.len());
    // SAFETY: the same allocation seen as `MaybeUninit<u8>`, which has the layout of `u8`;
    // `prefer_huge_pages` only passes its address range to madvise and writes nothing.
    prefer_huge_pages(unsafe { std::slice::from_raw_parts_mut(ptr.cast(), len) });
    v
}

/// A copy of `bytes`, allocated for huge pages when large.
pub fn copied(bytes: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(bytes.len());
    prefer_huge_pages(v.spare_capacity_mut());
    v.extend_from_slice(bytes);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_have_the_asked_contents() {
        for len in [0, 1, 4 << 20, (9 << 20) + 5] {
            assert!(zeroed(len).len() == len && zeroed(len).iter().all(|&b| b == 0));
            let src: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            assert_eq!(copied(&src), src);
        }
    }
}

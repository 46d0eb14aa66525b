//! Where the n-gram tables are read from. Compiled in, they sit in the binary's read-only pages (4 KiB
//! each): the tables of lengths 4 and 5 span 34 MB, so nearly every look-up there also misses the
//! processor's address-translation cache. On Linux they are copied once, at first use, into memory that
//! the kernel is asked to back with 2 MiB pages (`madvise(MADV_HUGEPAGE)`), which cuts those misses to a
//! few dozen pages. Where that is refused, the compiled-in bytes are read in place.

/// Bytes of one huge page: the copy starts on such a boundary so that whole pages can be used.
const HUGE_PAGE: usize = 2 << 20;

/// `parts` copied, in order, into one read-only mapping backed by huge pages where the kernel agrees;
/// `None` (read the parts in place) if the mapping cannot be made.
#[cfg(target_os = "linux")]
pub(super) fn copy_to_huge_pages(parts: &[&'static [u8]]) -> Option<Vec<&'static [u8]>> {
    let total: usize = parts.iter().map(|part| part.len()).sum();
    let mut map = memmap2::MmapOptions::new()
        .len(total + HUGE_PAGE)
        .map_anon()
        .ok()?;
    // Advice only: if the kernel ignores it, the copy still works with ordinary pages.
    let _ = map.advise(memmap2::Advice::HugePage);
    let skip = (HUGE_PAGE - map.as_ptr() as usize % HUGE_PAGE) % HUGE_PAGE;
    let mut ranges = Vec::with_capacity(parts.len());
    let mut at = skip;
    for part in parts {
        map.get_mut(at..at + part.len())?.copy_from_slice(part);
        ranges.push(at..at + part.len());
        at += part.len();
    }
    let map: &'static memmap2::Mmap = Box::leak(Box::new(map.make_read_only().ok()?));
    ranges.into_iter().map(|range| map.get(range)).collect()
}

#[cfg(not(target_os = "linux"))]
pub(super) fn copy_to_huge_pages(_parts: &[&'static [u8]]) -> Option<Vec<&'static [u8]>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_holds_the_same_bytes() {
        static A: [u8; 5] = [1, 2, 3, 4, 5];
        static B: [u8; 3] = [9, 8, 7];
        let parts: [&'static [u8]; 3] = [&A, &[], &B];
        let copies = copy_to_huge_pages(&parts);
        if cfg!(target_os = "linux") {
            // The mapping must work where it is made: a silent fallback would hide a lost speed-up.
            assert_eq!(copies, Some(parts.to_vec()));
        } else {
            assert_eq!(copies, None);
        }
    }

    #[test]
    fn the_copy_starts_on_a_huge_page_boundary() {
        static A: [u8; 3] = [1, 2, 3];
        let copies = copy_to_huge_pages(&[&A]).unwrap_or_default();
        for copy in copies {
            assert_eq!(copy.as_ptr() as usize % HUGE_PAGE, 0);
        }
    }
}

//! The layout of the merged n-gram table, shared by `build.rs` (which writes it) and the scorer (which reads
//! it): both `include!`/`mod` this file so the key packing and the hash cannot drift apart.
//!
//! An n-gram of order n is packed into an integer of `key_bits(n)` bits from its characters' ids; the
//! integer is scrambled by the bijection [`mix`], whose top `bucket_bits` bits choose a bucket and whose
//! remaining bits (at most 32) are stored as the key inside the bucket. As `mix` is a bijection, equal
//! remainders in the same bucket mean equal n-grams: look-ups are exact.

/// Bits per character id in n-grams of order 2 to 5 (lingua's models use 513 characters there).
pub const CHAR_BITS: u32 = 10;
/// Bits of a unigram key: unigrams use every character of the models (11,860, most of them Han).
pub const UNIGRAM_KEY_BITS: u32 = 14;
/// Log-probabilities are stored as `round(-ln p × VALUE_SCALE)` in a `u16` (lingua's lowest is −18.5).
pub const VALUE_SCALE: f64 = 2048.0;
/// Bytes of one language mask in a bucket record (17 languages).
pub const MASK_BYTES: usize = 3;
/// Longest n-gram lingua uses.
pub const MAX_ORDER: usize = 5;

/// Width of a packed key of the given order (1..=5).
pub const fn key_bits(order: usize) -> u32 {
    if order == 1 {
        UNIGRAM_KEY_BITS
    } else {
        CHAR_BITS * order as u32
    }
}

/// A bijection on `bits`-bit integers (odd multipliers and xor-shifts are invertible modulo 2^bits) that
/// spreads n-gram keys evenly over the buckets.
pub const fn mix(key: u64, bits: u32) -> u64 {
    let mask = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let mut x = key & mask;
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) & mask;
    x ^= x >> (bits / 2 + 1);
    x = x.wrapping_mul(0xC2B2_AE3D_27D4_EB4F) & mask;
    x ^= x >> (bits / 2);
    x
}

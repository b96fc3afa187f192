//! The widget's allocator: one free list per power-of-two size class, carved
//! from wasm memory pages.
//!
//! It replaces std's dlmalloc (about 7 KB of the wasm before this). The widget
//! allocates little (a few strings and the QR modules per render) and always in
//! the same few sizes, so freed blocks are reused by the next render and memory
//! stays flat however long a page lives; rounding up to a power of two wastes at
//! most half of each block, which for these sizes is a few kilobytes.
//!
//! wasm32 without threads: one thread, so no locking.

// Native builds (the unit tests) keep the system allocator; this compiles there
// only for its tests.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

const PAGE: usize = 65_536;
const CLASSES: usize = usize::BITS as usize;

struct Free {
    /// The next unused byte of the current run of pages, and its end.
    next: usize,
    end: usize,
    /// The first free block of each class (0: none); each free block starts
    /// with the address of the next one.
    heads: [usize; CLASSES],
}

pub struct Classes(UnsafeCell<Free>);

// Sound only without threads, which is what wasm32-unknown-unknown has here.
unsafe impl Sync for Classes {}

impl Classes {
    pub const fn new() -> Classes {
        Classes(UnsafeCell::new(Free {
            next: 0,
            end: 0,
            heads: [0; CLASSES],
        }))
    }
}

/// The class of a layout: blocks of class `c` are `1 << c` bytes, aligned to
/// their size (up to a page), so any block of a class fits any layout of it.
fn class(layout: &Layout) -> usize {
    let size = layout.size().max(layout.align()).max(8);
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

unsafe impl GlobalAlloc for Classes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let free = &mut *self.0.get();
        let c = class(&layout);
        if c >= CLASSES - 1 {
            return std::ptr::null_mut();
        }
        let head = free.heads[c];
        if head != 0 {
            free.heads[c] = *(head as *const usize);
            return head as *mut u8;
        }
        let size = 1usize << c;
        let align = size.min(PAGE);
        let mut start = (free.next + align - 1) & !(align - 1);
        if start + size > free.end {
            let pages = size.div_ceil(PAGE);
            let old = grow(pages);
            if old == usize::MAX {
                return std::ptr::null_mut();
            }
            let base = old * PAGE;
            // Pages that do not follow ours (the first call, or memory grown by
            // someone else) start a new run.
            if base != free.end || start + size > base + pages * PAGE {
                start = base;
            }
            free.end = base + pages * PAGE;
        }
        free.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let free = &mut *self.0.get();
        let c = class(&layout);
        *(ptr as *mut usize) = free.heads[c];
        free.heads[c] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(&new_layout) == class(&layout) {
            return ptr;
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}

#[cfg(target_arch = "wasm32")]
fn grow(pages: usize) -> usize {
    core::arch::wasm32::memory_grow(0, pages)
}

#[cfg(not(target_arch = "wasm32"))]
fn grow(_pages: usize) -> usize {
    usize::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_powers_of_two_that_fit() {
        let class_of = |size, align| class(&Layout::from_size_align(size, align).unwrap());
        assert_eq!(class_of(1, 1), 3);
        assert_eq!(class_of(8, 8), 3);
        assert_eq!(class_of(9, 1), 4);
        assert_eq!(class_of(16, 16), 4);
        assert_eq!(class_of(17, 4), 5);
        assert_eq!(class_of(4096, 1), 12);
        assert_eq!(class_of(1, 64), 6);
    }
}

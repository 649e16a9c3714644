//! `threadlings::sync::atomic` under the `loom` feature: loom's atomics, each operation
//! noted for the interleaving recorder (`record.rs`) with its ordering, the value it saw
//! and the exercise's `file:line` (`#[track_caller]`).

pub use loom::sync::atomic::*;

use super::record::{self, Op};
use std::panic::Location;

fn address<T>(object: &T) -> usize {
    std::ptr::from_ref(object) as usize
}

#[track_caller]
fn note(kind: &'static str, object: usize, op: impl FnOnce() -> Op) {
    if record::enabled() {
        let mut op = op();
        op.kind = kind;
        op.object = object;
        record::record(op, Location::caller());
    }
}

/// A compare-exchange's outcome, as the value it saw.
fn saw<T: std::fmt::Debug>(result: &Result<T, T>) -> String {
    match result {
        Ok(seen) => format!("Ok({seen:?})"),
        Err(seen) => format!("Err({seen:?})"),
    }
}

fn cas_orderings(success: Ordering, failure: Ordering) -> String {
    format!("{success:?}/{failure:?}")
}

/// The two compare-exchanges: each noted with both orderings and what it saw.
macro_rules! traced_compare_exchange {
    ($name:ident, $value:ty, $($method:ident),*) => {
        $(
            #[track_caller]
            pub fn $method(
                &self,
                current: $value,
                new: $value,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$value, $value> {
                let result = self.0.$method(current, new, success, failure);
                note(stringify!($name), address(self), || {
                    Op::new("", 0, format!("{}({current:?}, {new:?})", stringify!($method)))
                        .ordering(cas_orderings(success, failure))
                        .value(saw(&result))
                });
                result
            }
        )*
    };
}

/// The operations every atomic type shares; `$show` formats its value.
macro_rules! traced_common {
    ($name:ident, $value:ty) => {
        impl $name {
            #[track_caller]
            pub fn load(&self, order: Ordering) -> $value {
                let seen = self.0.load(order);
                note(stringify!($name), address(self), || {
                    Op::new("", 0, "load")
                        .ordering(format!("{order:?}"))
                        .value(format!("{seen:?}"))
                });
                seen
            }

            #[track_caller]
            pub fn store(&self, value: $value, order: Ordering) {
                self.0.store(value, order);
                note(stringify!($name), address(self), || {
                    Op::new("", 0, format!("store({value:?})")).ordering(format!("{order:?}"))
                });
            }

            #[track_caller]
            pub fn swap(&self, value: $value, order: Ordering) -> $value {
                let seen = self.0.swap(value, order);
                note(stringify!($name), address(self), || {
                    Op::new("", 0, format!("swap({value:?})"))
                        .ordering(format!("{order:?}"))
                        .value(format!("{seen:?}"))
                });
                seen
            }

            traced_compare_exchange!($name, $value, compare_exchange, compare_exchange_weak);

            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                f: F,
            ) -> Result<$value, $value>
            where
                F: FnMut($value) -> Option<$value>,
            {
                let result = self.0.fetch_update(set_order, fetch_order, f);
                note(stringify!($name), address(self), || {
                    Op::new("", 0, "fetch_update")
                        .ordering(cas_orderings(set_order, fetch_order))
                        .value(saw(&result))
                });
                result
            }

            pub fn into_inner(self) -> $value {
                self.0.into_inner()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name(Default::default())
            }
        }

        impl From<$value> for $name {
            #[track_caller]
            fn from(value: $value) -> Self {
                $name::new(value)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

/// A read-modify-write that returns the previous value.
macro_rules! traced_rmw {
    ($name:ident, $value:ty, $($method:ident),*) => {
        impl $name {
            $(
                #[track_caller]
                pub fn $method(&self, value: $value, order: Ordering) -> $value {
                    let seen = self.0.$method(value, order);
                    note(stringify!($name), address(self), || {
                        Op::new("", 0, format!("{}({value:?})", stringify!($method)))
                            .ordering(format!("{order:?}"))
                            .value(format!("{seen:?}"))
                    });
                    seen
                }
            )*
        }
    };
}

macro_rules! traced_integer {
    ($($name:ident: $value:ty),*) => {
        $(
            /// loom's atomic, its operations recorded.
            pub struct $name(loom::sync::atomic::$name);

            impl $name {
                #[track_caller]
                pub fn new(value: $value) -> Self {
                    $name(loom::sync::atomic::$name::new(value))
                }

                pub fn with_mut<R>(&mut self, f: impl FnOnce(&mut $value) -> R) -> R {
                    self.0.with_mut(f)
                }
            }

            traced_common!($name, $value);
            traced_rmw!(
                $name, $value, fetch_add, fetch_sub, fetch_and, fetch_nand, fetch_or, fetch_xor,
                fetch_max, fetch_min
            );
        )*
    };
}

traced_integer!(
    AtomicU8: u8, AtomicU16: u16, AtomicU32: u32, AtomicU64: u64, AtomicUsize: usize,
    AtomicI8: i8, AtomicI16: i16, AtomicI32: i32, AtomicI64: i64, AtomicIsize: isize
);

/// loom's `AtomicBool`, its operations recorded.
pub struct AtomicBool(loom::sync::atomic::AtomicBool);

impl AtomicBool {
    #[track_caller]
    pub fn new(value: bool) -> Self {
        AtomicBool(loom::sync::atomic::AtomicBool::new(value))
    }
}

traced_common!(AtomicBool, bool);
traced_rmw!(AtomicBool, bool, fetch_and, fetch_nand, fetch_or, fetch_xor);

/// A fence, recorded with its ordering.
#[track_caller]
pub fn fence(order: Ordering) {
    loom::sync::atomic::fence(order);
    note("fence", 0, || {
        Op::new("", 0, "fence").ordering(format!("{order:?}"))
    });
}

//! The reference solution as a module again, its `#[path]` wrapped in a `cfg_attr`
//! that a macro assembles.
macro_rules! m {
    ($h:tt $c:ident ($($cond:tt)*) $n:ident $v:literal $k:tt $s:ident) => {
        $h [$c($($cond)*, $n = $v)] $k $s;
    };
}
m!(# cfg_attr (all()) path "../../../../../../threadlings-fixtures/threadlings-class/solutions/01_class/triple.rs" mod sol);

pub use sol::*;

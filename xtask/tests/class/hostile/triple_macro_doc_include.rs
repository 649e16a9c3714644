//! Reads a file it has no business with while it builds: a doc attribute whose value a
//! macro assembles as `std::include_str!(…)`, here the instructor's solution (the build
//! fails if the file cannot be read).
macro_rules! d {
    ($h:tt $($t:ident)*; $f:literal) => {
        $h [doc = $($t)::* ! ($f)]
        pub struct Leak;
    };
}
d!(# std include_str; "../../../../../../threadlings-fixtures/threadlings-class/solutions/01_class/triple.rs");

pub fn triple(value: u32) -> u32 {
    value * 3
}

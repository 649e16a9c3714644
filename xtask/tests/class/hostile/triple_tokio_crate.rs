//! A path in a string: `#[tokio::main(crate = "…")]` names the crate whose runtime the
//! function starts, where no reading of the tokens sees it as a path.
#[tokio::main(crate = "tokio")]
pub async fn runtime_of_its_own() {}

pub fn triple(value: u32) -> u32 {
    value * 3
}

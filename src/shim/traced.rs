//! The shim under the `loom` feature: loom's types, with the operations the timeline of
//! a failed model shows (cells, locks, condition variables, `Arc`, threads, parking and
//! spinning) noted for the recorder (`record.rs`) at the exercise's `file:line`. What
//! is not wrapped here is loom's own, re-exported as it is.

use std::panic::Location;

use super::record::{self, Access, Op};

fn address<T: ?Sized>(object: &T) -> usize {
    std::ptr::from_ref(object).cast::<()>() as usize
}

#[track_caller]
fn note(op: impl FnOnce() -> Op) {
    if record::enabled() {
        record::record(op(), Location::caller());
    }
}

fn note_at(location: &'static Location<'static>, op: impl FnOnce() -> Op) {
    if record::enabled() {
        record::record(op(), location);
    }
}

#[track_caller]
fn wait(op: impl FnOnce() -> Op) {
    if record::enabled() {
        record::waiting(op(), Location::caller());
    }
}

#[track_caller]
fn woken(op: impl FnOnce() -> Op) {
    if record::enabled() {
        record::finished(op(), Location::caller());
    }
}

pub mod cell {
    use super::{Access, Op, address, note};

    /// loom's `UnsafeCell`, each access recorded before loom checks it for a race.
    #[derive(Debug)]
    pub struct UnsafeCell<T: ?Sized>(loom::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        #[track_caller]
        pub fn new(data: T) -> Self {
            Self(loom::cell::UnsafeCell::new(data))
        }

        pub fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }

    impl<T: Default> Default for UnsafeCell<T> {
        #[track_caller]
        fn default() -> Self {
            Self::new(T::default())
        }
    }

    impl<T: ?Sized> UnsafeCell<T> {
        /// Reads through a shared pointer to the contents.
        #[track_caller]
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            note(|| Op::new("UnsafeCell", address(self), "read").access(Access::Read));
            self.0.with(f)
        }

        /// Writes through a mutable pointer to the contents.
        #[track_caller]
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            note(|| Op::new("UnsafeCell", address(self), "write").access(Access::Write));
            self.0.with_mut(f)
        }
    }
}

pub mod hint {
    pub use loom::hint::*;

    /// A spin, recorded: a loop that waits shows as these.
    #[track_caller]
    pub fn spin_loop() {
        super::note(|| super::Op::new("", 0, "spin_loop"));
        loom::hint::spin_loop();
    }
}

pub mod sync {
    use std::ops::{Deref, DerefMut};
    use std::panic::Location;
    use std::sync::{PoisonError, TryLockError};

    use super::{Op, address, note, note_at, wait, woken};

    pub use super::super::traced_atomic as atomic;
    pub use loom::sync::*;

    /// loom's `Mutex`, its locking and unlocking recorded.
    #[derive(Debug, Default)]
    pub struct Mutex<T: ?Sized>(loom::sync::Mutex<T>);

    /// The guard of a traced `Mutex`; dropping it is the unlock.
    pub struct MutexGuard<'a, T: ?Sized> {
        /// `None` only while a `Condvar` waits with it.
        inner: Option<loom::sync::MutexGuard<'a, T>>,
        mutex: usize,
        locked_at: &'static Location<'static>,
    }

    fn lock_op(mutex: usize, operation: &str) -> Op {
        Op::new("Mutex", mutex, operation)
    }

    fn guard<'a, T: ?Sized>(
        inner: loom::sync::MutexGuard<'a, T>,
        mutex: usize,
        locked_at: &'static Location<'static>,
    ) -> MutexGuard<'a, T> {
        MutexGuard {
            inner: Some(inner),
            mutex,
            locked_at,
        }
    }

    impl<T> Mutex<T> {
        #[track_caller]
        pub fn new(data: T) -> Mutex<T> {
            Mutex(loom::sync::Mutex::new(data))
        }

        pub fn into_inner(self) -> LockResult<T> {
            self.0.into_inner()
        }
    }

    impl<T> From<T> for Mutex<T> {
        #[track_caller]
        fn from(data: T) -> Self {
            Mutex::new(data)
        }
    }

    impl<T: ?Sized> Mutex<T> {
        #[track_caller]
        pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
            let (mutex, at) = (address(self), Location::caller());
            wait(|| lock_op(mutex, "lock"));
            let locked = self.0.lock();
            woken(|| lock_op(mutex, "lock"));
            match locked {
                Ok(inner) => Ok(guard(inner, mutex, at)),
                Err(poisoned) => Err(PoisonError::new(guard(poisoned.into_inner(), mutex, at))),
            }
        }

        #[track_caller]
        pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
            let (mutex, at) = (address(self), Location::caller());
            let tried = self.0.try_lock();
            let taken = !matches!(tried, Err(TryLockError::WouldBlock));
            note(|| {
                lock_op(
                    mutex,
                    if taken {
                        "try_lock: taken"
                    } else {
                        "try_lock: held"
                    },
                )
            });
            match tried {
                Ok(inner) => Ok(guard(inner, mutex, at)),
                Err(TryLockError::Poisoned(poisoned)) => Err(TryLockError::Poisoned(
                    PoisonError::new(guard(poisoned.into_inner(), mutex, at)),
                )),
                Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
            }
        }

        pub fn get_mut(&mut self) -> LockResult<&mut T> {
            self.0.get_mut()
        }
    }

    impl<T: ?Sized> Deref for MutexGuard<'_, T> {
        type Target = T;

        fn deref(&self) -> &T {
            self.inner.as_deref().expect("a guard holds its lock")
        }
    }

    impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.inner.as_deref_mut().expect("a guard holds its lock")
        }
    }

    impl<T: ?Sized + std::fmt::Debug> std::fmt::Debug for MutexGuard<'_, T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            std::fmt::Debug::fmt(&**self, f)
        }
    }

    impl<T: ?Sized> Drop for MutexGuard<'_, T> {
        fn drop(&mut self) {
            if let Some(inner) = self.inner.take() {
                drop(inner);
                // A drop has no caller to track: the row names where the lock was taken.
                note_at(self.locked_at, || lock_op(self.mutex, "unlock"));
            }
        }
    }

    /// loom's `Condvar`, over the traced `Mutex`'s guards.
    #[derive(Debug, Default)]
    pub struct Condvar(loom::sync::Condvar);

    impl Condvar {
        #[track_caller]
        pub fn new() -> Condvar {
            Condvar(loom::sync::Condvar::new())
        }

        #[track_caller]
        pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
            let inner = guard.inner.take().expect("a guard holds its lock");
            let condvar = address(self);
            wait(|| Op::new("Condvar", condvar, "wait"));
            let waited = self.0.wait(inner);
            woken(|| Op::new("Condvar", condvar, "woken"));
            let (mutex, at) = (guard.mutex, guard.locked_at);
            match waited {
                Ok(inner) => Ok(self::guard(inner, mutex, at)),
                Err(poisoned) => Err(PoisonError::new(self::guard(
                    poisoned.into_inner(),
                    mutex,
                    at,
                ))),
            }
        }

        #[track_caller]
        pub fn notify_one(&self) {
            note(|| Op::new("Condvar", address(self), "notify_one"));
            self.0.notify_one();
        }

        #[track_caller]
        pub fn notify_all(&self) {
            note(|| Op::new("Condvar", address(self), "notify_all"));
            self.0.notify_all();
        }
    }

    /// loom's `Arc`, its clones and drops recorded.
    pub struct Arc<T: ?Sized> {
        /// `None` only once dropped or unwrapped.
        inner: Option<loom::sync::Arc<T>>,
        made_at: &'static Location<'static>,
    }

    impl<T> Arc<T> {
        #[track_caller]
        pub fn new(value: T) -> Arc<T> {
            Arc::wrap(loom::sync::Arc::new(value), Location::caller())
        }

        #[track_caller]
        pub fn try_unwrap(mut this: Arc<T>) -> Result<T, Arc<T>> {
            let inner = this.inner.take().expect("an Arc holds its value");
            let made_at = this.made_at;
            loom::sync::Arc::try_unwrap(inner).map_err(|inner| Arc::wrap(inner, made_at))
        }
    }

    impl<T: ?Sized> Arc<T> {
        fn wrap(inner: loom::sync::Arc<T>, made_at: &'static Location<'static>) -> Arc<T> {
            Arc {
                inner: Some(inner),
                made_at,
            }
        }

        fn inner(&self) -> &loom::sync::Arc<T> {
            self.inner.as_ref().expect("an Arc holds its value")
        }

        #[track_caller]
        pub fn from_std(std: std::sync::Arc<T>) -> Self {
            Arc::wrap(loom::sync::Arc::from_std(std), Location::caller())
        }

        #[track_caller]
        pub fn strong_count(this: &Self) -> usize {
            loom::sync::Arc::strong_count(this.inner())
        }

        #[track_caller]
        pub fn get_mut(this: &mut Self) -> Option<&mut T> {
            loom::sync::Arc::get_mut(this.inner.as_mut().expect("an Arc holds its value"))
        }

        pub fn ptr_eq(this: &Self, other: &Self) -> bool {
            loom::sync::Arc::ptr_eq(this.inner(), other.inner())
        }

        pub fn as_ptr(this: &Self) -> *const T {
            loom::sync::Arc::as_ptr(this.inner())
        }

        fn object(&self) -> usize {
            address(&**self.inner())
        }
    }

    impl<T: ?Sized> Deref for Arc<T> {
        type Target = T;

        fn deref(&self) -> &T {
            self.inner()
        }
    }

    impl<T: ?Sized> Clone for Arc<T> {
        #[track_caller]
        fn clone(&self) -> Self {
            let clone = Arc::wrap(self.inner().clone(), Location::caller());
            note(|| Op::new("Arc", self.object(), "clone Arc"));
            clone
        }
    }

    impl<T: ?Sized> Drop for Arc<T> {
        fn drop(&mut self) {
            if let Some(inner) = self.inner.take() {
                let object = address(&*inner);
                drop(inner);
                // A drop has no caller to track: the row names where this handle was made.
                note_at(self.made_at, || Op::new("Arc", object, "drop Arc"));
            }
        }
    }

    impl<T: Default> Default for Arc<T> {
        #[track_caller]
        fn default() -> Self {
            Arc::new(T::default())
        }
    }

    impl<T> From<T> for Arc<T> {
        #[track_caller]
        fn from(value: T) -> Self {
            Arc::new(value)
        }
    }

    impl<T: ?Sized> AsRef<T> for Arc<T> {
        fn as_ref(&self) -> &T {
            self
        }
    }

    impl<T: ?Sized> std::borrow::Borrow<T> for Arc<T> {
        fn borrow(&self) -> &T {
            self
        }
    }

    impl<T: ?Sized + std::fmt::Debug> std::fmt::Debug for Arc<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            std::fmt::Debug::fmt(&**self, f)
        }
    }

    impl<T: ?Sized + std::fmt::Display> std::fmt::Display for Arc<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            std::fmt::Display::fmt(&**self, f)
        }
    }
}

pub mod thread {
    use std::panic::Location;

    use super::super::record;
    use super::{Op, note, wait, woken};

    pub use loom::thread::*;

    fn name(thread: usize) -> String {
        if thread == 0 {
            "main".into()
        } else {
            format!("thread {thread}")
        }
    }

    /// loom's thread handle, its `unpark` recorded.
    #[derive(Debug, Clone)]
    pub struct Thread(loom::thread::Thread);

    impl Thread {
        pub fn id(&self) -> ThreadId {
            self.0.id()
        }

        pub fn name(&self) -> Option<&str> {
            self.0.name()
        }

        #[track_caller]
        pub fn unpark(&self) {
            note(|| {
                let id = format!("{:?}", self.0.id());
                let number = id.trim_start_matches("ThreadId(").trim_end_matches(')');
                Op::new(
                    "",
                    0,
                    format!("unpark {}", name(number.parse().unwrap_or(0))),
                )
            });
            self.0.unpark();
        }
    }

    /// The running thread's handle.
    pub fn current() -> Thread {
        Thread(loom::thread::current())
    }

    /// loom's join handle, its `join` recorded.
    #[derive(Debug)]
    pub struct JoinHandle<T> {
        inner: loom::thread::JoinHandle<T>,
        thread: Thread,
        number: usize,
    }

    impl<T> JoinHandle<T> {
        #[track_caller]
        pub fn join(self) -> std::thread::Result<T> {
            let joined = format!("join {}", name(self.number));
            wait(|| Op::new("", 0, joined.clone()));
            let result = self.inner.join();
            woken(|| Op::new("", 0, joined));
            result
        }

        pub fn thread(&self) -> &Thread {
            &self.thread
        }
    }

    #[track_caller]
    pub fn spawn<F, T>(f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + 'static,
        T: 'static,
    {
        // Noted before loom spawns: the new thread may run before `spawn` returns.
        let number = if record::enabled() {
            let number = record::next_thread();
            record::record(
                Op::new("", 0, format!("spawn {}", name(number))),
                Location::caller(),
            );
            number
        } else {
            0
        };
        let inner = loom::thread::spawn(f);
        let thread = Thread(inner.thread().clone());
        JoinHandle {
            inner,
            thread,
            number,
        }
    }

    /// Blocks until unparked, recorded while it blocks and when it wakes.
    #[track_caller]
    pub fn park() {
        wait(|| Op::new("", 0, "park"));
        loom::thread::park();
        woken(|| Op::new("", 0, "park: woken"));
    }

    #[track_caller]
    pub fn yield_now() {
        note(|| Op::new("", 0, "yield_now"));
        loom::thread::yield_now();
    }
}

//! An in-memory directory whose writes fail while a switch is on: how tests give the index a
//! brief I/O error (a read-only or full data directory) without touching the real disk.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, FileHandle, RamDirectory, TerminatingWrite, WatchCallback, WatchHandle, WritePtr,
};

/// Turns the writes of the directories it was given to on and off.
#[derive(Clone, Debug, Default)]
pub struct FaultSwitch(Arc<AtomicBool>);

impl FaultSwitch {
    /// From now on every write fails (`true`) or works again (`false`).
    pub fn fail_writes(&self, on: bool) {
        self.0.store(on, Ordering::SeqCst);
    }

    fn failing(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

fn refused() -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, "write refused (fault switch on)")
}

#[derive(Clone, Debug)]
pub(crate) struct FaultyDirectory {
    inner: RamDirectory,
    switch: FaultSwitch,
}

impl FaultyDirectory {
    pub(crate) fn new(switch: FaultSwitch) -> Self {
        Self { inner: RamDirectory::create(), switch }
    }
}

/// A file being written, refusing bytes while the switch is on.
struct FaultyWrite {
    inner: WritePtr,
    switch: FaultSwitch,
}

impl Write for FaultyWrite {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.switch.failing() {
            return Err(refused());
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.switch.failing() {
            return Err(refused());
        }
        self.inner.flush()
    }
}

impl TerminatingWrite for FaultyWrite {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        if self.switch.failing() {
            return Err(refused());
        }
        self.inner.terminate_ref(token)
    }
}

impl Directory for FaultyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        if self.switch.failing() {
            return Err(OpenWriteError::IoError { io_error: Arc::new(refused()), filepath: PathBuf::from(path) });
        }
        let inner = self.inner.open_write(path)?;
        Ok(io::BufWriter::new(Box::new(FaultyWrite { inner, switch: self.switch.clone() })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if self.switch.failing() {
            return Err(refused());
        }
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        if self.switch.failing() {
            return Err(refused());
        }
        self.inner.sync_directory()
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

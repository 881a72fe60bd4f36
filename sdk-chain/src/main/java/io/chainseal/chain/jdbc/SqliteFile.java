package io.chainseal.chain.jdbc;

import io.chainseal.chain.JournalException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A SQLite journal file owned by this process: an exclusive lock on {@code <file>.lock} (held until
 * {@link #close()}) turns away a second opener — another process, or another object in this one — and
 * connections open in WAL mode with {@code synchronous=FULL}, so a commit is on disk when it returns.
 * Needs the SQLite JDBC driver ({@code org.xerial:sqlite-jdbc}) on the class path.
 */
public final class SqliteFile implements LeaderLock, AutoCloseable {
  /**
   * Lock files this JVM holds. Operating-system file locks belong to the process, and closing any
   * channel of a locked file releases them, so a second opener in the same JVM must be turned away
   * before it opens a channel: the one process-wide registry this library keeps, because the thing it
   * guards is process-wide too.
   */
  private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final Path lockFile;
  private final FileChannel channel;
  private @Nullable FileLock lock;

  private SqliteFile(Path file, Path lockFile, FileChannel channel, FileLock lock) {
    this.file = file;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code file}.
   *
   * @param user who uses such files, for the message ("anchorer", "wallet")
   * @throws JournalException if another process or object holds it, or it cannot be taken
   */
  public static SqliteFile lock(Path file, String user) {
    Objects.requireNonNull(file, "file == null");
    Path absolute = file.toAbsolutePath();
    Path lockFile = absolute.normalize().resolveSibling(absolute.getFileName() + ".lock");
    String inUse = "journal " + file + " is in use by another " + user + " (" + lockFile + " is locked); one process at a"
        + " time may use a SQLite journal";
    if (!HELD_IN_THIS_PROCESS.add(lockFile)) {
      throw new JournalException(inUse, false);
    }
    try {
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        HELD_IN_THIS_PROCESS.remove(lockFile);
        throw new JournalException(inUse, false);
      }
      return new SqliteFile(absolute, lockFile, channel, lock);
    } catch (IOException e) {
      HELD_IN_THIS_PROCESS.remove(lockFile);
      throw new JournalException("cannot lock journal " + file + ": " + e.getMessage(), false, e);
    }
  }

  /** Prepares a journal's first connection: creates or upgrades its schema. */
  @FunctionalInterface
  public interface Setup {
    void prepare(Connection connection) throws java.sql.SQLException;
  }

  /** Builds the journal over the owned file and its prepared first connection. */
  @FunctionalInterface
  public interface Opener<J> {
    J open(SqliteFile owned, Connection first);
  }

  /**
   * Opens a journal file for this process: takes its lock, opens a first connection, prepares it
   * ({@code setup}, then a commit) and builds the journal; on any failure everything taken is given
   * back (the connection closed, the lock released).
   *
   * @throws JournalException if the file is in use, or cannot be opened or prepared
   */
  public static <J> J openJournal(Path file, String user, Setup setup, Opener<J> opener) {
    Objects.requireNonNull(file, "file == null");
    SqliteFile owned = lock(file, user);
    try {
      Connection connection = owned.connector().open();
      try {
        setup.prepare(connection);
        connection.commit();
        return opener.open(owned, connection);
      } catch (java.sql.SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    } catch (java.sql.SQLException | RuntimeException e) {
      try {
        owned.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof JournalException journal) {
        throw journal;
      }
      throw new JournalException("cannot open journal " + file + ": " + JdbcJournal.redact(e.getMessage()), false, e);
    }
  }

  /**
   * Opens connections to the file: WAL, {@code synchronous=FULL}, a 10 s busy timeout, foreign keys on,
   * {@code secure_delete} on, auto-commit off.
   */
  public JdbcJournal.Connector connector() {
    return () -> {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("PRAGMA busy_timeout=10000");
        statement.execute("PRAGMA foreign_keys=ON");
        // Overwrite what a row update or delete frees, so a forgotten row's old bytes are not left in the file.
        statement.execute("PRAGMA secure_delete=ON");
      } catch (java.sql.SQLException e) {
        connection.close();
        throw e;
      }
      connection.setAutoCommit(false);
      return connection;
    };
  }

  /** Whether this object still holds the file's lock. */
  public synchronized boolean isHeld() {
    return lock != null && lock.isValid();
  }

  /** The file lock is the lead: this process leads the journal while it has the file open. */
  @Override
  public boolean acquire() {
    return isHeld();
  }

  @Override
  public boolean held() {
    return isHeld();
  }

  /** The file lock is kept until {@link #close()}: it also keeps other processes out. */
  @Override
  public void release() {
  }

  /** Releases the lock (idempotent). */
  @Override
  public synchronized void close() {
    try {
      if (lock != null) {
        lock.release();
        lock = null;
      }
      channel.close();
    } catch (IOException e) {
      throw new JournalException("cannot release the lock of journal " + file + ": " + e.getMessage(), false, e);
    } finally {
      HELD_IN_THIS_PROCESS.remove(lockFile);
    }
  }

  @Override
  public String toString() {
    return "SqliteFile[" + file + "]";
  }
}

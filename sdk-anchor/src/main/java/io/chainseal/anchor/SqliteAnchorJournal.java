package io.chainseal.anchor;

import io.chainseal.chain.JournalException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The embedded default {@link AnchorJournal}: one SQLite file, in WAL mode with {@code synchronous=FULL},
 * so a write is on disk when its method returns. {@link #append} writes many messages in one
 * transaction, so the {@link Anchorer}'s group commit pays one sync per group, not per message.
 *
 * <p>One process at a time: opening takes an exclusive lock on {@code <file>.lock} (held until
 * {@link #close()}), and a second opener — another process, or the same one — is refused. For several
 * instances sharing one journal, use {@link PostgresAnchorJournal}. Thread-safe: calls are serialized
 * on one connection.
 */
public final class SqliteAnchorJournal extends JdbcAnchorJournal {
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        schema_version INTEGER NOT NULL,
        publisher TEXT,
        chain_id INTEGER,
        contract TEXT,
        leader_epoch INTEGER NOT NULL DEFAULT 0);
      INSERT OR IGNORE INTO meta (id, schema_version, leader_epoch) VALUES (1, 2, 0);
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        commitment BLOB NOT NULL,
        signer TEXT,
        signature BLOB,
        accepted_at INTEGER NOT NULL,
        batch_seq INTEGER,
        leaf_index INTEGER,
        UNIQUE (conversation_id, message_id));
      CREATE INDEX IF NOT EXISTS messages_unbatched ON messages (seq) WHERE batch_seq IS NULL;
      CREATE INDEX IF NOT EXISTS messages_by_batch ON messages (batch_seq, leaf_index);
      CREATE TABLE IF NOT EXISTS batches (
        sequence INTEGER PRIMARY KEY,
        root BLOB NOT NULL,
        tree_size INTEGER NOT NULL,
        previous_root BLOB NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        chain_id INTEGER,
        contract TEXT,
        tx_hash BLOB,
        block_number INTEGER,
        block_hash BLOB,
        log_index INTEGER);
      CREATE TABLE IF NOT EXISTS tx_intents (
        id TEXT PRIMARY KEY,
        sender TEXT NOT NULL,
        to_address TEXT NOT NULL,
        data BLOB NOT NULL,
        value TEXT NOT NULL,
        state TEXT NOT NULL,
        mined_hash BLOB,
        mined_block INTEGER,
        mined_block_hash BLOB,
        reverts INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        created_block INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS tx_intents_by_state ON tx_intents (sender, state);
      CREATE TABLE IF NOT EXISTS tx_attempts (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        intent_id TEXT NOT NULL,
        hash BLOB NOT NULL,
        nonce INTEGER NOT NULL,
        raw BLOB NOT NULL,
        max_fee TEXT NOT NULL,
        tip TEXT NOT NULL,
        gas_limit TEXT NOT NULL,
        retired_because TEXT,
        UNIQUE (intent_id, hash));
      CREATE INDEX IF NOT EXISTS tx_attempts_by_intent ON tx_attempts (intent_id, position)
      """;

  private static final String NOW_MILLIS = "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";

  private static final Dialect DIALECT = new Dialect(
      "INSERT OR IGNORE INTO messages (conversation_id, message_id, commitment, signer, signature, accepted_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)",
      true,
      // Without the hint SQLite looks the rows up by batch_seq = NULL and sorts them all, for every look.
      "SELECT * FROM messages INDEXED BY messages_unbatched WHERE batch_seq IS NULL ORDER BY seq LIMIT ?",
      "INSERT OR IGNORE INTO tx_intents (id, sender, to_address, data, value, state, reverts, created_at, created_block)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "INSERT OR IGNORE INTO tx_attempts (intent_id, hash, nonce, raw, max_fee, tip, gas_limit) VALUES (?, ?, ?, ?, ?, ?, ?)",
      NOW_MILLIS,
      "SELECT leader_epoch FROM meta WHERE id = 1",
      Types.BLOB);

  /**
   * Lock files this JVM holds. Operating-system file locks belong to the process, and closing any
   * channel of a locked file releases them, so a second opener in the same JVM must be turned away
   * before it opens a channel: the one process-wide registry this library keeps, because the thing it
   * guards is process-wide too.
   */
  private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

  private final Path lockFile;
  private final FileChannel lockChannel;
  private @Nullable FileLock fileLock;

  private SqliteAnchorJournal(Path file, Connector connector, Connection connection, Path lockFile, FileChannel lockChannel,
      FileLock fileLock) {
    super(file.toString(), connector, connection, DIALECT);
    this.lockFile = lockFile;
    this.lockChannel = lockChannel;
    this.fileLock = fileLock;
  }

  /**
   * Opens (creating if needed) the journal file at {@code file}, taking the exclusive lock of
   * {@code <file>.lock}.
   *
   * @throws JournalException if another process (or another journal object) has the file open, or it
   *     cannot be opened or its schema created
   */
  public static SqliteAnchorJournal open(Path file) {
    Objects.requireNonNull(file, "file == null");
    Path absolute = file.toAbsolutePath();
    Path lockFile = absolute.normalize().resolveSibling(absolute.getFileName() + ".lock");
    String inUse = "journal " + file + " is in use by another anchorer (" + lockFile + " is locked); one process at a time"
        + " may use a SQLite journal";
    if (!HELD_IN_THIS_PROCESS.add(lockFile)) {
      throw new JournalException(inUse, false);
    }
    FileChannel channel;
    FileLock lock;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
    } catch (IOException e) {
      HELD_IN_THIS_PROCESS.remove(lockFile);
      throw new JournalException("cannot lock journal " + file + ": " + e.getMessage(), false, e);
    }
    Connector connector = () -> {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + absolute);
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("PRAGMA busy_timeout=10000");
        statement.execute("PRAGMA foreign_keys=ON");
      }
      connection.setAutoCommit(false);
      return connection;
    };
    try {
      Connection connection = connector.open();
      refuseOldLayout(connection, file.toString());
      try (Statement statement = connection.createStatement()) {
        createSchema(statement, SCHEMA);
      }
      connection.commit();
      return new SqliteAnchorJournal(file, connector, connection, lockFile, channel, lock);
    } catch (SQLException | RuntimeException e) {
      try {
        lock.release();
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      } finally {
        HELD_IN_THIS_PROCESS.remove(lockFile);
      }
      if (e instanceof JournalException journal) {
        throw journal;
      }
      throw new JournalException("cannot open journal " + file + ": " + e.getMessage(), false, e);
    }
  }

  /** The file lock is the leadership lock: this process owns the file while it is open. */
  @Override
  boolean acquireLock() {
    return fileLock != null && fileLock.isValid();
  }

  @Override
  boolean lockHeld() {
    return fileLock != null && fileLock.isValid();
  }

  @Override
  void releaseLock() {
    // The file lock is kept until close(): it also keeps other processes out.
  }

  @Override
  public synchronized void close() {
    try {
      super.close();
    } finally {
      try {
        if (fileLock != null) {
          fileLock.release();
          fileLock = null;
        }
        lockChannel.close();
      } catch (IOException e) {
        throw new JournalException("cannot release the lock of journal " + name + ": " + e.getMessage(), false, e);
      } finally {
        HELD_IN_THIS_PROCESS.remove(lockFile);
      }
    }
  }
}

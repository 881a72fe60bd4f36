package io.chainseal.chain.jdbc;

import io.chainseal.chain.IntentState;
import io.chainseal.chain.JournalException;
import io.chainseal.chain.LeaseLostException;
import io.chainseal.chain.MinedTransaction;
import io.chainseal.chain.SignedAttempt;
import io.chainseal.chain.TransactionIntent;
import io.chainseal.chain.TransactionJournal;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable core every Chainseal journal in a SQL database shares — the anchorer's and the
 * wallet's: the {@link TransactionJournal} (intents and their signed attempts, written before they
 * are broadcast), fencing by leader epoch, and two connections — one on which writes are serialized,
 * one for reads that need not wait behind a write — each re-opened when it breaks (a database
 * restart), the method then repeated once, which is safe because every method is idempotent.
 * Messages of the database driver are {@linkplain #redact redacted} of passwords.
 *
 * <p>A subclass brings its own tables besides {@link #SQLITE_TRANSACTION_TABLES} (or
 * {@link #POSTGRES_TRANSACTION_TABLES}) and a {@code meta} table with a row {@code id = 1} and a
 * {@code leader_epoch} column; how to connect; and its {@link LeaderLock} (a SQLite file lock for the
 * process, a PostgreSQL advisory lock among several), which the journal closes with itself. It runs its own statements through
 * {@link #transaction} (leader writes fenced) and {@link #read}.
 */
public abstract class JdbcJournal implements TransactionJournal, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcJournal.class);

  /** The transaction tables in SQLite. */
  public static final String SQLITE_TRANSACTION_TABLES = """
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

  /** The transaction tables in PostgreSQL. */
  public static final String POSTGRES_TRANSACTION_TABLES = """
      CREATE TABLE IF NOT EXISTS tx_intents (
        id TEXT PRIMARY KEY,
        sender TEXT NOT NULL,
        to_address TEXT NOT NULL,
        data BYTEA NOT NULL,
        value TEXT NOT NULL,
        state TEXT NOT NULL,
        mined_hash BYTEA,
        mined_block BIGINT,
        mined_block_hash BYTEA,
        reverts INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        created_block BIGINT NOT NULL);
      CREATE INDEX IF NOT EXISTS tx_intents_by_state ON tx_intents (sender, state);
      CREATE TABLE IF NOT EXISTS tx_attempts (
        position BIGSERIAL PRIMARY KEY,
        intent_id TEXT NOT NULL,
        hash BYTEA NOT NULL,
        nonce BIGINT NOT NULL,
        raw BYTEA NOT NULL,
        max_fee TEXT NOT NULL,
        tip TEXT NOT NULL,
        gas_limit TEXT NOT NULL,
        retired_because TEXT,
        UNIQUE (intent_id, hash));
      CREATE INDEX IF NOT EXISTS tx_attempts_by_intent ON tx_attempts (intent_id, position)
      """;

  /** The statements of the transaction tables whose syntax differs between databases. */
  public record Dialect(String insertIntent, String insertAttempt, String nowMillis, String readEpochForWrite, int blobType) {
    private static final String SQLITE_NOW = "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";
    private static final String POSTGRES_NOW = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    /** SQLite's. */
    public static final Dialect SQLITE = new Dialect(
        "INSERT OR IGNORE INTO tx_intents (id, sender, to_address, data, value, state, reverts, created_at, created_block)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "INSERT OR IGNORE INTO tx_attempts (intent_id, hash, nonce, raw, max_fee, tip, gas_limit) VALUES (?, ?, ?, ?, ?, ?, ?)",
        SQLITE_NOW,
        "SELECT leader_epoch FROM meta WHERE id = 1",
        Types.BLOB);

    /** PostgreSQL's: the epoch is read {@code FOR SHARE}, so taking the lead waits for a write in flight. */
    public static final Dialect POSTGRES = new Dialect(
        "INSERT INTO tx_intents (id, sender, to_address, data, value, state, reverts, created_at, created_block)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        "INSERT INTO tx_attempts (intent_id, hash, nonce, raw, max_fee, tip, gas_limit) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (intent_id, hash) DO NOTHING",
        POSTGRES_NOW,
        "SELECT leader_epoch FROM meta WHERE id = 1 FOR SHARE",
        Types.BINARY);
  }

  /** Opens a connection of the journal's database, set up for it (auto-commit off). */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

  /** What error messages call this journal: a file, or a JDBC URL without its secrets. */
  protected final String name;
  private final Connector connector;
  private final Dialect dialect;
  private final LeaderLock lock;
  /** One connection, re-opened when it breaks; used under its owner's lock. */
  private static final class Lane {
    @Nullable Connection connection;

    Lane(@Nullable Connection first) {
      this.connection = first;
    }
  }

  /** Every write, and what must be read in the same order as writes: guarded by this. */
  private final Lane writer;
  /**
   * Reads that need not wait for a write in progress, on a connection of their own (guarded by
   * {@code readLock}): every write commits before its method returns, so a read that starts after it
   * sees it.
   */
  private final Lane reader = new Lane(null);
  private final Object readLock = new Object();
  /**
   * Appends of new rows that need no leadership (PostgreSQL's message appends), on connections of
   * their own, one append on each at a time (each lane is its own lock): accepting messages then does
   * not wait while a leader writes a batch, and {@link #concurrentAppends} appends run at once. Each
   * append commits before its method returns, as every write does.
   */
  private final Lane[] appenders;
  /** The appending lanes not in use; an append takes one and gives it back. */
  private final BlockingQueue<Lane> idleAppenders;
  /** The leader epoch this object writes with, or -1: guarded by this. */
  private long heldEpoch = -1;
  private volatile boolean closed;

  /**
   * @param name what messages call the journal (no secrets)
   * @param connector opens further connections when one breaks
   * @param first an open connection, its schema created
   * @param dialect the transaction tables' statements
   */
  protected JdbcJournal(String name, Connector connector, Connection first, Dialect dialect, LeaderLock lock) {
    this(name, connector, first, dialect, lock, 1);
  }

  /**
   * As above, with {@code appendConnections} connections for {@link #appendTransaction} (each opened
   * when first needed).
   */
  protected JdbcJournal(String name, Connector connector, Connection first, Dialect dialect, LeaderLock lock,
      int appendConnections) {
    if (appendConnections < 1) {
      throw new IllegalArgumentException("appendConnections must be at least 1, got " + appendConnections);
    }
    this.appenders = new Lane[appendConnections];
    this.idleAppenders = new ArrayBlockingQueue<>(appendConnections);
    for (int i = 0; i < appendConnections; i++) {
      appenders[i] = new Lane(null);
      idleAppenders.add(appenders[i]);
    }
    this.name = name;
    this.connector = connector;
    this.writer = new Lane(first);
    this.dialect = dialect;
    this.lock = java.util.Objects.requireNonNull(lock, "lock == null");
  }

  /** Runs each statement of {@code schema} (separated by semicolons). */
  public static void createSchema(Statement statement, String schema) throws SQLException {
    for (String sql : schema.split(";", -1)) {
      if (!sql.isBlank()) {
        statement.execute(sql);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Secrets in messages

  /**
   * {@code text} without a password: JDBC drivers quote the whole URL in some messages ("Unable to
   * parse URL …", "No suitable driver found for …"), and a URL may carry {@code password=} or
   * {@code user:password@}.
   */
  public static String redact(@Nullable String text) {
    if (text == null) {
      return "";
    }
    return text.replaceAll("(?i)(password=)[^&;\\s]*", "$1***").replaceAll("//[^/@\\s:]+:[^/@\\s]*@", "//***@");
  }

  /**
   * A copy of {@code e} whose messages, down its chain of causes, are {@link #redact redacted}: what a
   * host logs with a stack trace must not show a password either.
   */
  public static SQLException redacted(SQLException e) {
    SQLException copy = new SQLException(e.getClass().getSimpleName() + ": " + redact(e.getMessage()), e.getSQLState(),
        e.getErrorCode(), redactedCause(e.getCause()));
    copy.setStackTrace(e.getStackTrace());
    SQLException next = e.getNextException();
    if (next != null && next != e) {
      copy.setNextException(redacted(next));
    }
    return copy;
  }

  private static @Nullable Throwable redactedCause(@Nullable Throwable cause) {
    if (cause == null) {
      return null;
    }
    Exception copy = new Exception(cause.getClass().getName() + ": " + redact(cause.getMessage()), redactedCause(cause.getCause()));
    copy.setStackTrace(cause.getStackTrace());
    return copy;
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions, reconnection and fencing

  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one database transaction; with {@code leaderWrite}, only while this object leads. */
  protected final synchronized <T> T transaction(String what, boolean leaderWrite, Work<T> work) {
    return run(writer, what, leaderWrite, work);
  }

  /**
   * Runs {@code work} in one database transaction on the appending connection, beside any other write:
   * only for work that needs no leadership and inserts rows — where it meets a row another write is
   * changing (a key already journaled, being batched or forgotten), the database makes it wait for
   * that write, as it does between instances sharing the journal.
   */
  protected final <T> T appendTransaction(String what, Work<T> work) {
    // poll first: an idle lane is taken even by a thread whose interrupt flag is set (a writer being
    // stopped still writes the group it drained); only waiting for a lane can be interrupted.
    Lane lane = idleAppenders.poll();
    try {
      if (lane == null) {
        lane = idleAppenders.take();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalException(what + " on " + name + " interrupted while waiting for a connection", true, e);
    }
    try {
      synchronized (lane) {
        return run(lane, what, false, work);
      }
    } finally {
      idleAppenders.add(lane);
    }
  }

  /** How many {@link #appendTransaction}s may run at once, each on its own connection. */
  public final int concurrentAppends() {
    return appenders.length;
  }

  /** Runs the read-only {@code work} in one database transaction on the reading connection. */
  protected final <T> T read(String what, Work<T> work) {
    synchronized (readLock) {
      return run(reader, what, false, work);
    }
  }

  private <T> T run(Lane lane, String what, boolean leaderWrite, Work<T> work) {
    boolean reconnected = false;
    for (int attempt = 1; ; attempt++) {
      Connection c = null;
      try {
        c = connection(lane);
        if (leaderWrite) {
          checkEpoch(c, what);
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        rollbackQuietly(c);
        if (attempt < MAX_CONFLICT_ATTEMPTS && isTransientConflict(e)) {
          // The database undid this transaction to break a deadlock (two appends meeting on the same
          // keys in crossing order, as instances sharing the journal can) or a serialization conflict:
          // it wrote nothing, and running it again is safe — every method is idempotent.
          log.debug("journal {}: {} met another transaction ({}); running it again", name, what, e.getSQLState());
          // A short, growing, jittered pause, so that the two transactions do not meet again at once.
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L, 10_000_000L) * attempt);
          continue;
        }
        if (!reconnected && isConnectionFailure(c, e)) {
          log.warn("journal {}: connection lost during {} ({}); reconnecting", name, what, redact(e.getMessage()));
          reconnected = true;
          dropConnection(lane);
          continue; // every method is idempotent: running it again is safe even if the first commit landed
        }
        if (isConnectionFailure(c, e)) {
          dropConnection(lane);
        }
        throw new JournalException(what + " failed on " + name + ": " + redact(e.getMessage()), true, redacted(e));
      } catch (IllegalStateException | IllegalArgumentException | JournalException e) {
        rollbackQuietly(c);
        throw e;
      } catch (RuntimeException e) {
        rollbackQuietly(c);
        throw new JournalException(what + " failed on " + name + ": " + redact(e.toString()), true, redactedCause(e));
      }
    }
  }

  private Connection connection(Lane lane) throws SQLException {
    if (closed) {
      throw new JournalException("journal " + name + " is closed", false);
    }
    if (lane.connection == null) {
      lane.connection = connector.open();
    }
    return lane.connection;
  }

  private void dropConnection(Lane lane) {
    if (lane.connection != null) {
      try {
        lane.connection.close();
      } catch (SQLException e) {
        log.debug("closing a broken connection of {}", name, e);
      }
      lane.connection = null;
    }
  }

  private static void rollbackQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is broken: it is replaced
      }
    }
  }

  /** How often a transaction the database undid for a deadlock or serialization conflict is run. */
  private static final int MAX_CONFLICT_ATTEMPTS = 8;

  /** Whether the database undid the transaction to resolve a deadlock (40P01) or serialization conflict (40001). */
  static boolean isTransientConflict(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if ("40P01".equals(next.getSQLState()) || "40001".equals(next.getSQLState())) {
        return true;
      }
      if (next.getNextException() == next) {
        break;
      }
    }
    return false;
  }

  /** Whether {@code e} means the connection is gone (not that the statement was wrong). */
  public static boolean isConnectionFailure(@Nullable Connection c, SQLException e) {
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"))) {
      return true;
    }
    try {
      return c == null || c.isClosed() || !c.isValid(2);
    } catch (SQLException ignored) {
      return true;
    }
  }

  private void checkEpoch(Connection c, String what) throws SQLException {
    if (heldEpoch < 0) {
      throw new LeaseLostException(what + " on " + name + ": this instance does not lead the journal");
    }
    try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(dialect.readEpochForWrite())) {
      rs.next();
      long current = rs.getLong(1);
      if (current != heldEpoch) {
        long held = heldEpoch;
        heldEpoch = -1;
        throw new LeaseLostException(what + " on " + name + ": another instance leads the journal now (epoch " + current
            + "; this one led with epoch " + held + ")");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Leadership

  public final synchronized boolean tryLead() {
    if (heldEpoch >= 0 && lock.held()) {
      return true;
    }
    heldEpoch = -1;
    try {
      if (!lock.acquire()) {
        return false;
      }
    } catch (SQLException e) {
      throw new JournalException("tryLead failed on " + name + ": " + redact(e.getMessage()), true, redacted(e));
    }
    try {
      heldEpoch = transaction("tryLead", false, c -> {
        try (Statement statement = c.createStatement()) {
          statement.executeUpdate("UPDATE meta SET leader_epoch = leader_epoch + 1 WHERE id = 1");
          try (ResultSet rs = statement.executeQuery("SELECT leader_epoch FROM meta WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
          }
        }
      });
      return true;
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  public final synchronized boolean stillLeads() {
    if (heldEpoch < 0) {
      return false;
    }
    boolean ok;
    try {
      ok = lock.held() && transaction("stillLeads", false, c -> {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(
            "SELECT leader_epoch FROM meta WHERE id = 1")) {
          rs.next();
          return rs.getLong(1) == heldEpoch;
        }
      });
    } catch (RuntimeException e) {
      log.warn("journal {}: cannot confirm the lead ({}); stepping down", name, redact(e.getMessage()));
      ok = false;
    }
    if (!ok) {
      heldEpoch = -1;
      lock.release();
    }
    return ok;
  }

  public final synchronized long leaderEpoch() {
    return heldEpoch;
  }

  public final synchronized void stepDown() {
    heldEpoch = -1;
    lock.release();
  }

  public Instant now() {
    return transaction("now", false, c -> {
      try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SELECT " + dialect.nowMillis())) {
        rs.next();
        return Instant.ofEpochMilli(rs.getLong(1));
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions (TransactionJournal)

  @Override
  public TransactionIntent recordIntent(TransactionIntent intent) {
    return transaction("recordIntent", true, c -> {
      try (PreparedStatement insert = c.prepareStatement(dialect.insertIntent())) {
        insert.setString(1, intent.id());
        insert.setString(2, intent.sender().checksummed());
        insert.setString(3, intent.to().checksummed());
        insert.setBytes(4, intent.data());
        insert.setString(5, intent.value().toString());
        insert.setString(6, intent.state().name());
        insert.setInt(7, intent.reverts());
        insert.setLong(8, intent.createdAt().toEpochMilli());
        insert.setLong(9, intent.createdAtBlock());
        insert.executeUpdate();
      }
      return intent(c, intent.id()).orElseThrow();
    });
  }

  @Override
  public void recordAttempt(String id, SignedAttempt attempt) {
    transaction("recordAttempt", true, c -> {
      requireIntent(c, id);
      try (PreparedStatement insert = c.prepareStatement(dialect.insertAttempt())) {
        insert.setString(1, id);
        insert.setBytes(2, attempt.hash().bytes());
        insert.setLong(3, attempt.nonce());
        insert.setBytes(4, attempt.raw());
        insert.setString(5, attempt.maxFeePerGas().toString());
        insert.setString(6, attempt.maxPriorityFeePerGas().toString());
        insert.setString(7, attempt.gasLimit().toString());
        insert.executeUpdate();
      }
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE tx_intents SET state = 'SENT' WHERE id = ? AND state IN ('PENDING', 'SENT')")) {
        update.setString(1, id);
        update.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void retireAttempt(String id, Hash32 hash, String reason) {
    transaction("retireAttempt", true, c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE tx_attempts SET retired_because = ? WHERE intent_id = ? AND hash = ? AND retired_because IS NULL")) {
        update.setString(1, reason);
        update.setString(2, id);
        update.setBytes(3, hash.bytes());
        update.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void recordState(String id, IntentState state, @Nullable MinedTransaction mined, int reverts) {
    transaction("recordState", true, c -> {
      requireIntent(c, id);
      try (PreparedStatement update = c.prepareStatement("UPDATE tx_intents SET state = ?, mined_hash = ?, mined_block = ?,"
          + " mined_block_hash = ?, reverts = ? WHERE id = ?")) {
        update.setString(1, state.name());
        if (mined == null) {
          update.setNull(2, dialect.blobType());
          update.setNull(3, Types.BIGINT);
          update.setNull(4, dialect.blobType());
        } else {
          update.setBytes(2, mined.hash().bytes());
          update.setLong(3, mined.blockNumber());
          update.setBytes(4, mined.blockHash().bytes());
        }
        update.setInt(5, reverts);
        update.setString(6, id);
        update.executeUpdate();
      }
      return null;
    });
  }

  private static void requireIntent(Connection c, String id) throws SQLException {
    if (intent(c, id).isEmpty()) {
      throw new IllegalStateException("no transaction intent " + id);
    }
  }

  private static Optional<TransactionIntent> intent(Connection c, String id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT * FROM tx_intents WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(intent(c, rs)) : Optional.empty();
      }
    }
  }

  private static TransactionIntent intent(Connection c, ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    byte[] minedHash = rs.getBytes("mined_hash");
    MinedTransaction mined = minedHash == null ? null
        : new MinedTransaction(Hash32.of(minedHash), rs.getLong("mined_block"), Hash32.of(rs.getBytes("mined_block_hash")));
    List<SignedAttempt> attempts = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("SELECT * FROM tx_attempts WHERE intent_id = ? ORDER BY position")) {
      select.setString(1, id);
      try (ResultSet a = select.executeQuery()) {
        while (a.next()) {
          attempts.add(new SignedAttempt(a.getLong("nonce"), Hash32.of(a.getBytes("hash")), a.getBytes("raw"),
              new BigInteger(a.getString("max_fee")), new BigInteger(a.getString("tip")), new BigInteger(a.getString("gas_limit")),
              a.getString("retired_because")));
        }
      }
    }
    return new TransactionIntent(id, EvmAddress.fromHex(rs.getString("sender")), EvmAddress.fromHex(rs.getString("to_address")),
        rs.getBytes("data"), new BigInteger(rs.getString("value")), IntentState.valueOf(rs.getString("state")), attempts, mined,
        rs.getInt("reverts"), Instant.ofEpochMilli(rs.getLong("created_at")), rs.getLong("created_block"));
  }

  @Override
  public Optional<TransactionIntent> intent(String id) {
    return read("intent", c -> intent(c, id));
  }

  @Override
  public List<TransactionIntent> openIntents(EvmAddress sender) {
    return read("openIntents", c -> {
      List<TransactionIntent> out = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT * FROM tx_intents WHERE sender = ?"
          + " AND state IN ('PENDING', 'SENT', 'MINED') ORDER BY created_at, id")) {
        select.setString(1, sender.checksummed());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(intent(c, rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<TransactionIntent> confirmedSince(EvmAddress sender, long fromBlock) {
    return read("confirmedSince", c -> {
      List<TransactionIntent> out = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT * FROM tx_intents WHERE sender = ?"
          + " AND state = 'CONFIRMED' AND mined_block >= ? ORDER BY created_at, id")) {
        select.setString(1, sender.checksummed());
        select.setLong(2, fromBlock);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(intent(c, rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public OptionalLong highestNonce(EvmAddress sender) {
    return read("highestNonce", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT MAX(a.nonce) FROM tx_attempts a JOIN tx_intents i"
          + " ON i.id = a.intent_id WHERE i.sender = ?")) {
        select.setString(1, sender.checksummed());
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          long nonce = rs.getLong(1);
          return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(nonce);
        }
      }
    });
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    heldEpoch = -1;
    lock.release();
    try {
      synchronized (readLock) {
        dropConnection(reader);
      }
      for (Lane lane : appenders) {
        synchronized (lane) {
          dropConnection(lane);
        }
      }
      if (writer.connection != null) {
        try {
          writer.connection.close();
        } catch (SQLException e) {
          throw new JournalException("cannot close journal " + name + ": " + e.getMessage(), false, e);
        } finally {
          writer.connection = null;
        }
      }
    } finally {
      lock.close();
    }
  }


  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}

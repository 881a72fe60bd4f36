package io.chainseal.anchor;

import io.chainseal.chain.IntentState;
import io.chainseal.chain.JournalException;
import io.chainseal.chain.LeaseLostException;
import io.chainseal.chain.MinedTransaction;
import io.chainseal.chain.SignedAttempt;
import io.chainseal.chain.TransactionIntent;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.SignerId;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SQLite and PostgreSQL journals share: the schema's use, every query, fencing by leader
 * epoch, and two connections — one on which writes are serialized, one for reads that need not wait
 * behind a write (the cutter reading a batch's worth of messages while the writer appends more) —
 * each re-opened when it breaks (a database restart), the method then repeated once, which is safe
 * because every method is idempotent.
 * Subclasses bring the DDL, the statements whose syntax differs, how to connect, and how to hold the
 * leadership lock.
 */
abstract class JdbcAnchorJournal implements AnchorJournal {
  private static final Logger log = LoggerFactory.getLogger(JdbcAnchorJournal.class);

  /**
   * The statements whose syntax differs between databases. With {@code bindsAcceptedAt}, the message
   * insert takes the acceptance time as its sixth parameter (the process's clock, once per group: an
   * embedded database has no other clock), else it computes it itself.
   */
  record Dialect(String insertMessage, boolean bindsAcceptedAt, String selectUnbatched, String insertIntent,
      String insertAttempt, String nowMillis, String readEpochForWrite, int blobType) {}

  /** Opens a connection of the journal's database, set up for it (auto-commit off). */
  @FunctionalInterface
  interface Connector {
    Connection open() throws SQLException;
  }

  /** What error messages call this journal: a file, or a JDBC URL without its secrets. */
  final String name;
  private final Connector connector;
  private final Dialect dialect;
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
   * Reads that need not wait for a write in progress — the cutter reading a batch's worth of
   * messages, followers, proof lookups — on a connection of their own (guarded by {@code readLock}):
   * every write commits before its method returns, so a read that starts after it sees it.
   */
  private final Lane reader = new Lane(null);
  private final Object readLock = new Object();
  /**
   * The messages the last {@link #unbatched} listed, and their row numbers: the next batch is almost
   * always made of the very same key objects, in order, and assigning rows by number is several times
   * cheaper than by key (a row's number never changes). Replaced whole, never modified.
   */
  private volatile Listed lastListed = new Listed(List.of(), new long[0]);

  private record Listed(List<MessageKey> keys, long[] rows) {
    /** The row numbers of {@code members} if they are a prefix of what was listed (the same objects), else null. */
    long @Nullable [] rowsOf(List<MessageKey> members) {
      if (members.size() > keys.size()) {
        return null;
      }
      for (int i = 0; i < members.size(); i++) {
        if (members.get(i) != keys.get(i)) {
          return null;
        }
      }
      return rows;
    }
  }
  /** The leader epoch this object writes with, or -1: guarded by this. */
  private long heldEpoch = -1;
  private volatile boolean closed;

  JdbcAnchorJournal(String name, Connector connector, Connection first, Dialect dialect) {
    this.name = name;
    this.connector = connector;
    this.writer = new Lane(first);
    this.dialect = dialect;
  }

  /** Runs each statement of {@code schema} (separated by semicolons). */
  static void createSchema(Statement statement, String schema) throws SQLException {
    for (String sql : schema.split(";")) {
      if (!sql.isBlank()) {
        statement.execute(sql);
      }
    }
  }

  /** Refuses a journal written by an earlier development version, whose transactions lived elsewhere. */
  static void refuseOldLayout(Connection connection, String name) throws SQLException {
    try (ResultSet tables = connection.getMetaData().getTables(null, null, "batch_transactions", null)) {
      if (tables.next()) {
        throw new JournalException("journal " + name + " was written by an earlier development version of Chainseal;"
            + " anchor what it holds with that version, then start with a new journal", false);
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
  static String redact(@Nullable String text) {
    if (text == null) {
      return "";
    }
    return text.replaceAll("(?i)(password=)[^&;\\s]*", "$1***").replaceAll("//[^/@\\s:]+:[^/@\\s]*@", "//***@");
  }

  /**
   * A copy of {@code e} whose messages, down its chain of causes, are {@link #redact redacted}: what a
   * host logs with a stack trace must not show a password either.
   */
  static SQLException redacted(SQLException e) {
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
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one database transaction; with {@code leaderWrite}, only while this object leads. */
  final synchronized <T> T transaction(String what, boolean leaderWrite, Work<T> work) {
    return run(writer, what, leaderWrite, work);
  }

  /** Runs the read-only {@code work} in one database transaction on the reading connection. */
  final <T> T read(String what, Work<T> work) {
    synchronized (readLock) {
      return run(reader, what, false, work);
    }
  }

  private <T> T run(Lane lane, String what, boolean leaderWrite, Work<T> work) {
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
        if (attempt == 1 && isConnectionFailure(c, e)) {
          log.warn("journal {}: connection lost during {} ({}); reconnecting", name, what, redact(e.getMessage()));
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

  /** Whether {@code e} means the connection is gone (not that the statement was wrong). */
  static boolean isConnectionFailure(@Nullable Connection c, SQLException e) {
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
      throw new LeaseLostException(what + " on " + name + ": this anchorer does not lead the journal");
    }
    try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(dialect.readEpochForWrite())) {
      rs.next();
      long current = rs.getLong(1);
      if (current != heldEpoch) {
        long held = heldEpoch;
        heldEpoch = -1;
        throw new LeaseLostException(what + " on " + name + ": another anchorer leads the journal now (epoch " + current
            + "; this one led with epoch " + held + ")");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Leadership

  /** Takes the database's leadership lock, if no other process holds it. */
  abstract boolean acquireLock() throws SQLException;

  /** Whether the leadership lock is still held (its connection alive). */
  abstract boolean lockHeld();

  /** Lets go of the leadership lock. */
  abstract void releaseLock();

  @Override
  public final synchronized boolean tryLead() {
    if (heldEpoch >= 0 && lockHeld()) {
      return true;
    }
    heldEpoch = -1;
    try {
      if (!acquireLock()) {
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
      releaseLock();
      throw e;
    }
  }

  @Override
  public final synchronized boolean stillLeads() {
    if (heldEpoch < 0) {
      return false;
    }
    boolean ok;
    try {
      ok = lockHeld() && transaction("stillLeads", false, c -> {
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
      releaseLock();
    }
    return ok;
  }

  @Override
  public final synchronized long leaderEpoch() {
    return heldEpoch;
  }

  @Override
  public final synchronized void stepDown() {
    heldEpoch = -1;
    releaseLock();
  }

  // ---------------------------------------------------------------------------------------------
  // Identity and clock

  @Override
  public void bind(JournalIdentity identity) {
    Objects.requireNonNull(identity, "identity == null");
    transaction("bind", false, c -> {
      try (Statement statement = c.createStatement();
          ResultSet rs = statement.executeQuery("SELECT publisher, chain_id, contract FROM meta WHERE id = 1")) {
        rs.next();
        String publisher = rs.getString(1);
        if (publisher == null) {
          try (PreparedStatement update = c.prepareStatement(
              "UPDATE meta SET publisher = ?, chain_id = ?, contract = ? WHERE id = 1 AND publisher IS NULL")) {
            update.setString(1, identity.publisher().checksummed());
            update.setLong(2, identity.chainId());
            update.setString(3, identity.contract().checksummed());
            update.executeUpdate();
          }
          return null;
        }
        JournalIdentity stored = new JournalIdentity(EvmAddress.fromHex(publisher), rs.getLong(2), EvmAddress.fromHex(rs.getString(3)));
        if (!stored.equals(identity)) {
          throw new JournalException("journal " + name + " holds the anchors of " + stored + ", not of " + identity
              + ": use that publisher's journal, or a new one", false);
        }
        return null;
      }
    });
  }

  @Override
  public Instant now() {
    return transaction("now", false, c -> {
      try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SELECT " + dialect.nowMillis())) {
        rs.next();
        return Instant.ofEpochMilli(rs.getLong(1));
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  @Override
  public List<Optional<Hash32>> append(List<JournalEntry> entries) {
    return transaction("append", false, c -> {
      List<Optional<Hash32>> outcomes = new ArrayList<>(entries.size());
      try (PreparedStatement insert = c.prepareStatement(dialect.insertMessage());
          PreparedStatement existing = c.prepareStatement(
              "SELECT commitment FROM messages WHERE conversation_id = ? AND message_id = ?")) {
        long acceptedAt = System.currentTimeMillis();
        for (JournalEntry entry : entries) {
          insert.setString(1, entry.key().conversationId());
          insert.setString(2, entry.key().messageId());
          insert.setBytes(3, entry.commitment().bytes());
          if (entry.signature() != null) {
            insert.setString(4, entry.signature().signer().toText());
            insert.setBytes(5, entry.signature().value());
          } else {
            insert.setNull(4, Types.VARCHAR);
            insert.setNull(5, dialect.blobType());
          }
          if (dialect.bindsAcceptedAt()) {
            insert.setLong(6, acceptedAt);
          }
          insert.addBatch();
        }
        // One round of inserts for the whole group; a key that already existed reports 0 rows.
        int[] counts = insert.executeBatch();
        for (int i = 0; i < entries.size(); i++) {
          if (counts[i] == 1) {
            outcomes.add(Optional.empty());
          } else {
            JournalEntry entry = entries.get(i);
            existing.setString(1, entry.key().conversationId());
            existing.setString(2, entry.key().messageId());
            try (ResultSet rs = existing.executeQuery()) {
              rs.next();
              outcomes.add(Optional.of(Hash32.of(rs.getBytes(1))));
            }
          }
        }
      }
      return outcomes;
    });
  }

  private static JournalEntry entry(ResultSet rs) throws SQLException {
    String signer = rs.getString("signer");
    MessageSignature signature = signer == null ? null : MessageSignature.of(SignerId.parse(signer), rs.getBytes("signature"));
    return new JournalEntry(new MessageKey(rs.getString("conversation_id"), rs.getString("message_id")),
        Hash32.of(rs.getBytes("commitment")), signature, Instant.ofEpochMilli(rs.getLong("accepted_at")));
  }

  @Override
  public List<JournalEntry> unbatched(int limit) {
    return read("unbatched", c -> {
      List<JournalEntry> out = new ArrayList<>();
      List<MessageKey> keys = new ArrayList<>();
      long[] rows = new long[Math.min(limit, 1024)];
      try (PreparedStatement select = c.prepareStatement(dialect.selectUnbatched())) {
        select.setInt(1, limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            JournalEntry entry = entry(rs);
            if (out.size() == rows.length) {
              rows = Arrays.copyOf(rows, rows.length * 2);
            }
            rows[out.size()] = rs.getLong("seq");
            out.add(entry);
            keys.add(entry.key());
          }
        }
      }
      if (limit > 1) {
        lastListed = new Listed(keys, rows);
      }
      return out;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Batches

  @Override
  public void createBatch(BatchRecord batch, List<MessageKey> members) {
    if (members.size() != batch.treeSize()) {
      throw new IllegalArgumentException("batch " + batch.sequence() + " has size " + batch.treeSize() + " but "
          + members.size() + " members");
    }
    transaction("createBatch", true, c -> {
      Optional<BatchRecord> existing = batch(c, batch.sequence());
      if (existing.isPresent()) {
        if (existing.get().root().equals(batch.root()) && existing.get().treeSize() == batch.treeSize()) {
          return null; // the same batch again: a repeated call after a lost connection
        }
        throw new IllegalStateException("batch " + batch.sequence() + " already exists with root " + existing.get().root());
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO batches (sequence, root, tree_size, previous_root, state, created_at) VALUES (?, ?, ?, ?, 'CREATED', ?)")) {
        insert.setLong(1, batch.sequence());
        insert.setBytes(2, batch.root().bytes());
        insert.setLong(3, batch.treeSize());
        insert.setBytes(4, batch.previousRoot().bytes());
        insert.setLong(5, batch.createdAt().toEpochMilli());
        insert.executeUpdate();
      }
      long[] rows = lastListed.rowsOf(members);
      boolean byRow = rows != null;
      try (PreparedStatement assign = c.prepareStatement(byRow
          ? "UPDATE messages SET batch_seq = ?, leaf_index = ? WHERE seq = ? AND batch_seq IS NULL"
          : "UPDATE messages SET batch_seq = ?, leaf_index = ? WHERE conversation_id = ? AND message_id = ? AND batch_seq IS NULL")) {
        for (int i = 0; i < members.size(); i++) {
          assign.setLong(1, batch.sequence());
          assign.setLong(2, i);
          if (rows != null) {
            assign.setLong(3, rows[i]);
          } else {
            assign.setString(3, members.get(i).conversationId());
            assign.setString(4, members.get(i).messageId());
          }
          assign.addBatch();
        }
        int[] counts = assign.executeBatch();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] != 1) {
            throw new IllegalStateException("message " + members.get(i) + " is unknown or already in a batch");
          }
        }
      }
      return null;
    });
  }

  @Override
  public void recordSent(long sequence) {
    update("recordSent", "UPDATE batches SET state = 'SENT' WHERE sequence = ? AND state IN ('CREATED', 'SENT')",
        s -> s.setLong(1, sequence), sequence);
  }

  @Override
  public void recordReorged(long sequence) {
    update("recordReorged", "UPDATE batches SET state = 'SENT', chain_id = NULL, contract = NULL, tx_hash = NULL,"
        + " block_number = NULL, block_hash = NULL, log_index = NULL WHERE sequence = ? AND state IN ('SENT', 'ANCHORED', 'CONFIRMED')",
        s -> s.setLong(1, sequence), sequence);
  }

  @Override
  public void recordAnchored(long sequence, AnchorReference anchor) {
    Hash32 blockHash = Objects.requireNonNull(anchor.blockHash(), "anchor.blockHash == null");
    // A confirmed batch stays confirmed when told the same anchor again; another anchor (it was mined
    // again elsewhere after a reorganization the journal missed) makes it ANCHORED there.
    update("recordAnchored", "UPDATE batches SET state = CASE WHEN state = 'CONFIRMED' AND tx_hash = ? AND block_hash = ?"
        + " THEN 'CONFIRMED' ELSE 'ANCHORED' END, chain_id = ?, contract = ?, tx_hash = ?, block_number = ?,"
        + " block_hash = ?, log_index = ? WHERE sequence = ?", s -> {
          s.setBytes(1, anchor.transactionHash().bytes());
          s.setBytes(2, blockHash.bytes());
          s.setLong(3, anchor.chainId());
          s.setString(4, anchor.contract().checksummed());
          s.setBytes(5, anchor.transactionHash().bytes());
          s.setLong(6, anchor.blockNumber());
          s.setBytes(7, blockHash.bytes());
          s.setLong(8, anchor.logIndex());
          s.setLong(9, sequence);
        }, sequence);
  }

  @Override
  public void recordConfirmed(long sequence) {
    update("recordConfirmed", "UPDATE batches SET state = 'CONFIRMED' WHERE sequence = ? AND state IN ('ANCHORED', 'CONFIRMED')",
        s -> s.setLong(1, sequence), sequence);
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** A leader's update of one batch; the batch must exist and be in a state the update accepts. */
  private void update(String what, String sql, Binder binder, long sequence) {
    transaction(what, true, c -> {
      try (PreparedStatement statement = c.prepareStatement(sql)) {
        binder.bind(statement);
        if (statement.executeUpdate() != 1) {
          Optional<BatchRecord> batch = batch(c, sequence);
          throw new IllegalStateException(what + ": batch " + sequence + (batch.isEmpty() ? " is unknown"
              : " is " + batch.get().state()));
        }
      }
      return null;
    });
  }

  private static BatchRecord batch(ResultSet rs) throws SQLException {
    String contract = rs.getString("contract");
    byte[] blockHash = rs.getBytes("block_hash");
    AnchorReference anchor = contract == null ? null : new AnchorReference(rs.getLong("chain_id"), EvmAddress.fromHex(contract),
        Hash32.of(rs.getBytes("tx_hash")), rs.getLong("block_number"), rs.getLong("log_index"),
        blockHash == null ? null : Hash32.of(blockHash));
    return new BatchRecord(rs.getLong("sequence"), Hash32.of(rs.getBytes("root")), rs.getLong("tree_size"),
        Hash32.of(rs.getBytes("previous_root")), BatchRecord.State.valueOf(rs.getString("state")),
        Instant.ofEpochMilli(rs.getLong("created_at")), anchor);
  }

  private static Optional<BatchRecord> batch(Connection c, long sequence) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT * FROM batches WHERE sequence = ?")) {
      select.setLong(1, sequence);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(batch(rs)) : Optional.empty();
      }
    }
  }

  private List<BatchRecord> batches(String what, String sql, @Nullable Long parameter) {
    return read(what, c -> {
      List<BatchRecord> out = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement(sql)) {
        if (parameter != null) {
          select.setLong(1, parameter);
        }
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(batch(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Optional<BatchRecord> batch(long sequence) {
    return batches("batch", "SELECT * FROM batches WHERE sequence = ?", sequence).stream().findFirst();
  }

  @Override
  public List<BatchRecord> unconfirmedBatches() {
    return batches("unconfirmedBatches", "SELECT * FROM batches WHERE state <> 'CONFIRMED' ORDER BY sequence", null);
  }

  @Override
  public Optional<BatchRecord> lastBatch() {
    return batches("lastBatch", "SELECT * FROM batches ORDER BY sequence DESC LIMIT 1", null).stream().findFirst();
  }

  @Override
  public Optional<BatchRecord> lastConfirmedBatch() {
    return batches("lastConfirmedBatch", "SELECT * FROM batches WHERE state = 'CONFIRMED' ORDER BY sequence DESC LIMIT 1", null)
        .stream().findFirst();
  }

  @Override
  public List<BatchRecord> batchesAfter(long sequence) {
    return batches("batchesAfter", "SELECT * FROM batches WHERE sequence > ? ORDER BY sequence", sequence);
  }

  @Override
  public List<JournalEntry> members(long sequence) {
    return read("members", c -> {
      List<JournalEntry> out = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT * FROM messages WHERE batch_seq = ? ORDER BY leaf_index")) {
        select.setLong(1, sequence);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(entry(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Optional<StoredMessage> message(MessageKey key) {
    return read("message", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT * FROM messages WHERE conversation_id = ? AND message_id = ?")) {
        select.setString(1, key.conversationId());
        select.setString(2, key.messageId());
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long batch = rs.getLong("batch_seq");
          boolean unbatched = rs.wasNull();
          return Optional.of(new StoredMessage(entry(rs), unbatched ? -1 : batch, unbatched ? -1 : rs.getLong("leaf_index")));
        }
      }
    });
  }

  @Override
  public long messageCount() {
    return read("messageCount", c -> {
      try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM messages")) {
        rs.next();
        return rs.getLong(1);
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

  // ---------------------------------------------------------------------------------------------

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    heldEpoch = -1;
    releaseLock();
    synchronized (readLock) {
      dropConnection(reader);
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
  }


  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}

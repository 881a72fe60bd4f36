package io.chainseal.anchor;

import io.chainseal.chain.JournalException;
import io.chainseal.chain.jdbc.JdbcJournal;
import io.chainseal.chain.jdbc.LeaderLock;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.SignerId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the SQLite and PostgreSQL anchor journals share: the messages and batches tables and every
 * query on them, on top of the shared {@link JdbcJournal} (transactions, fencing, reconnection).
 * Subclasses bring the DDL, the statements whose syntax differs, how to connect, and how to hold the
 * leadership lock.
 */
abstract class JdbcAnchorJournal extends JdbcJournal implements AnchorJournal {
  /**
   * The message statements whose syntax differs between databases. With {@code bindsAcceptedAt}, the
   * message insert takes the acceptance time as its sixth parameter (the process's clock, once per
   * group: an embedded database has no other clock), else it computes it itself.
   */
  record AnchorDialect(String insertMessage, boolean bindsAcceptedAt, String selectUnbatched, JdbcJournal.Dialect transactions) {}

  private final AnchorDialect dialect;
  /**
   * The messages the last {@link #unbatched} listed, and their row numbers: the next batch is almost
   * always made of the very same key objects, in order, and assigning rows by number is several times
   * cheaper than by key (a row's number never changes). Replaced whole, never modified.
   */
  private volatile Listed lastListed = new Listed(List.of(), new long[0]);

  private record Listed(List<MessageKey> keys, long[] rows) {
    /** The row numbers of {@code members} if they are a prefix of what was listed (the same objects), else null. */
    @SuppressWarnings("ReferenceEquality") // the same objects, on purpose: equal keys would not prove the rows
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

  JdbcAnchorJournal(String name, Connector connector, Connection first, AnchorDialect dialect, LeaderLock lock) {
    this(name, connector, first, dialect, lock, 1);
  }

  JdbcAnchorJournal(String name, Connector connector, Connection first, AnchorDialect dialect, LeaderLock lock,
      int appendConnections) {
    super(name, connector, first, dialect.transactions(), lock, appendConnections);
    this.dialect = dialect;
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

  // ---------------------------------------------------------------------------------------------
  // Messages

  @Override
  public List<Optional<Hash32>> append(List<JournalEntry> entries) {
    if (dialect.transactions().equals(JdbcJournal.Dialect.POSTGRES)) {
      return appendAsArrays(entries);
    }
    return transaction("append", false, c -> {
      List<Optional<Hash32>> outcomes = new ArrayList<>(entries.size());
      try (PreparedStatement insert = c.prepareStatement(dialect.insertMessage());
          PreparedStatement existing = c.prepareStatement(
              "SELECT commitment FROM messages WHERE conversation_id = ? AND message_id = ?")) {
        long acceptedAt = System.currentTimeMillis();
        for (JournalEntry entry : entries) {
          bindInsert(insert, entry, acceptedAt);
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

  /**
   * PostgreSQL: the whole group in one statement — arrays unnested into one multi-row insert,
   * which the server runs as one plan instead of one insert per message (several times the messages
   * per second of a JDBC batch of single-row inserts, same transaction, same commit). The rows keep
   * the group's order ({@code WITH ORDINALITY}), so sequence numbers follow submission order within a
   * group (groups appended at once on several connections, or by several instances, interleave);
   * {@code RETURNING} names the rows inserted, and any other key already existed. It runs on
   * the appending connection, beside a leader's batch writes: it only inserts new rows.
   */
  private List<Optional<Hash32>> appendAsArrays(List<JournalEntry> entries) {
    int n = entries.size();
    String[] conversations = new String[n];
    String[] messages = new String[n];
    byte[] commitments = new byte[n * Hash32.LENGTH];
    String[] signers = new String[n];
    byte[][] signatures = new byte[n][];
    for (int i = 0; i < n; i++) {
      JournalEntry entry = entries.get(i);
      conversations[i] = entry.key().conversationId();
      messages[i] = entry.key().messageId();
      entry.commitment().copyTo(commitments, i * Hash32.LENGTH);
      MessageSignature signature = entry.signature();
      signers[i] = signature == null ? null : signature.signer().toText();
      signatures[i] = signature == null ? null : signature.value();
    }
    return appendTransaction("append", c -> {
      String insertAll = "INSERT INTO messages (conversation_id, message_id, commitment, signer, signature, accepted_at)"
          + " SELECT t.c, t.m, substring(?::bytea from ((t.o - 1) * 32 + 1)::int for 32), t.s, t.g, "
          + PostgresAnchorJournal.NOW_MILLIS
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) WITH ORDINALITY AS t(c, m, s, g, o)"
          + " ORDER BY t.o ON CONFLICT (conversation_id, message_id) DO NOTHING";
      // The common case, every key new, answers one number instead of every key; otherwise (a retried
      // submission) the insert is undone to the savepoint and made again, naming the rows it stored.
      Savepoint beforeInsert = c.setSavepoint();
      try (PreparedStatement insert = c.prepareStatement("WITH stored AS (" + insertAll + " RETURNING 1) SELECT count(*) FROM stored")) {
        bindGroup(c, insert, commitments, conversations, messages, signers, signatures);
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == n) {
            c.releaseSavepoint(beforeInsert);
            return java.util.Collections.nCopies(n, Optional.<Hash32>empty());
          }
        }
      }
      c.rollback(beforeInsert);
      Set<MessageKey> inserted = new HashSet<>(n * 2);
      try (PreparedStatement insert = c.prepareStatement(insertAll + " RETURNING conversation_id, message_id")) {
        bindGroup(c, insert, commitments, conversations, messages, signers, signatures);
        try (ResultSet rs = insert.executeQuery()) {
          while (rs.next()) {
            inserted.add(new MessageKey(rs.getString(1), rs.getString(2)));
          }
        }
      }
      List<Optional<Hash32>> outcomes = new ArrayList<>(n);
      try (PreparedStatement existing = c.prepareStatement(
          "SELECT commitment FROM messages WHERE conversation_id = ? AND message_id = ?");
          PreparedStatement insertOne = c.prepareStatement(dialect.insertMessage())) {
        for (JournalEntry entry : entries) {
          // A key twice in one group: its first entry was inserted, the second finds it.
          outcomes.add(inserted.remove(entry.key()) ? Optional.empty() : existingOrInserted(existing, insertOne, entry));
        }
      }
      return outcomes;
    });
  }

  /** Binds {@code entry} to the dialect's single-row insert ({@code acceptedAt} only where the dialect binds it). */
  private void bindInsert(PreparedStatement insert, JournalEntry entry, long acceptedAt) throws SQLException {
    insert.setString(1, entry.key().conversationId());
    insert.setString(2, entry.key().messageId());
    insert.setBytes(3, entry.commitment().bytes());
    MessageSignature signature = entry.signature();
    if (signature != null) {
      insert.setString(4, signature.signer().toText());
      insert.setBytes(5, signature.value());
    } else {
      insert.setNull(4, Types.VARCHAR);
      insert.setNull(5, dialect.transactions().blobType());
    }
    if (dialect.bindsAcceptedAt()) {
      insert.setLong(6, acceptedAt);
    }
  }

  /**
   * The commitment a key already journaled has, or empty after inserting the entry: the key's row can
   * vanish between the insert that skipped it and this look — a concurrent {@code forget} renames the
   * row of a confirmed message (appends run beside the writing connection) — and then the message is
   * journaled again as a new row, as a submission after a forget is.
   */
  private Optional<Hash32> existingOrInserted(PreparedStatement existing, PreparedStatement insertOne, JournalEntry entry)
      throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      existing.setString(1, entry.key().conversationId());
      existing.setString(2, entry.key().messageId());
      try (ResultSet rs = existing.executeQuery()) {
        if (rs.next()) {
          return Optional.of(Hash32.of(rs.getBytes(1)));
        }
      }
      bindInsert(insertOne, entry, System.currentTimeMillis());
      if (insertOne.executeUpdate() == 1) {
        return Optional.empty();
      }
    }
    throw new SQLException("message " + entry.key() + " was neither inserted nor found, three times");
  }

  private static void bindGroup(Connection c, PreparedStatement insert, byte[] commitments, String[] conversations, String[] messages,
      String[] signers, byte[][] signatures) throws SQLException { // signers and signatures hold nulls for unsigned messages
    // The commitments as one binary parameter, cut into 32-byte slices by the server: an array of
    // byte strings would travel as text, each hex-escaped.
    insert.setBytes(1, commitments);
    insert.setArray(2, c.createArrayOf("text", conversations));
    insert.setArray(3, c.createArrayOf("text", messages));
    insert.setArray(4, c.createArrayOf("text", signers));
    insert.setArray(5, c.createArrayOf("bytea", signatures));
  }

  private static JournalEntry entry(ResultSet rs) throws SQLException {
    String signer = rs.getString("signer");
    MessageSignature signature = signer == null ? null : MessageSignature.of(SignerId.parse(signer), rs.getBytes("signature"));
    String conversation = rs.getString("conversation_id");
    Hash32 commitment = Hash32.of(rs.getBytes("commitment"));
    MessageKey key = conversation.isEmpty() ? MessageKey.forgotten(commitment) : new MessageKey(conversation, rs.getString("message_id"));
    return new JournalEntry(key, commitment, signature, Instant.ofEpochMilli(rs.getLong("accepted_at")));
  }

  @Override
  public List<MessageKey> forget(java.util.Map<MessageKey, Hash32> erased) {
    Objects.requireNonNull(erased, "erased == null");
    if (erased.isEmpty()) {
      return List.of();
    }
    List<MessageKey> waiting = transaction("forget", false, c -> {
      List<MessageKey> notYet = new ArrayList<>();
      // An empty conversation id is no key's (MessageKey refuses it); the commitment's hex and the row
      // number keep the row unique (the same message submitted again after a forget is a second row).
      try (PreparedStatement update = c.prepareStatement("UPDATE messages SET conversation_id = '', message_id = ? || '/' || CAST(seq AS TEXT),"
          + " signer = NULL, signature = NULL WHERE conversation_id = ? AND message_id = ? AND commitment = ?"
          + " AND batch_seq IN (SELECT sequence FROM batches WHERE state = 'CONFIRMED')");
          PreparedStatement stored = c.prepareStatement(
              "SELECT 1 FROM messages WHERE conversation_id = ? AND message_id = ? AND commitment = ?")) {
        for (java.util.Map.Entry<MessageKey, Hash32> entry : erased.entrySet()) {
          MessageKey key = entry.getKey();
          byte[] commitment = entry.getValue().bytes();
          update.setString(1, entry.getValue().hex());
          update.setString(2, key.conversationId());
          update.setString(3, key.messageId());
          update.setBytes(4, commitment);
          if (update.executeUpdate() == 0) {
            stored.setString(1, key.conversationId());
            stored.setString(2, key.messageId());
            stored.setBytes(3, commitment);
            try (ResultSet rs = stored.executeQuery()) {
              if (rs.next()) {
                notYet.add(key);
              }
            }
          }
        }
      }
      return notYet;
    });
    afterForget();
    return waiting;
  }

  /** After {@link #forget}: removes the copies of forgotten rows the database keeps elsewhere, where it can. */
  void afterForget() {}

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
      if (dialect.transactions().equals(JdbcJournal.Dialect.POSTGRES)) {
        assignAsArrays(c, batch.sequence(), members, rows);
        return null;
      }
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

  /**
   * PostgreSQL: every member's batch and leaf index in one statement (the rows or keys as arrays,
   * their positions from {@code WITH ORDINALITY}) instead of one update per member — a batch of
   * 100,000 messages held the journal's connection, and so every {@code append}, for seconds.
   */
  private static void assignAsArrays(Connection c, long sequence, List<MessageKey> members, long @Nullable [] rows)
      throws SQLException {
    int updated;
    if (rows != null) {
      Long[] boxed = new Long[members.size()];
      for (int i = 0; i < boxed.length; i++) {
        boxed[i] = rows[i];
      }
      try (PreparedStatement assign = c.prepareStatement("UPDATE messages SET batch_seq = ?, leaf_index = t.i - 1"
          + " FROM unnest(?::bigint[]) WITH ORDINALITY AS t(s, i) WHERE messages.seq = t.s AND messages.batch_seq IS NULL")) {
        assign.setLong(1, sequence);
        assign.setArray(2, c.createArrayOf("bigint", boxed));
        updated = assign.executeUpdate();
      }
    } else {
      String[] conversations = new String[members.size()];
      String[] messages = new String[members.size()];
      for (int i = 0; i < members.size(); i++) {
        conversations[i] = members.get(i).conversationId();
        messages[i] = members.get(i).messageId();
      }
      try (PreparedStatement assign = c.prepareStatement("UPDATE messages SET batch_seq = ?, leaf_index = t.i - 1"
          + " FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS t(c, m, i)"
          + " WHERE messages.conversation_id = t.c AND messages.message_id = t.m AND messages.batch_seq IS NULL")) {
        assign.setLong(1, sequence);
        assign.setArray(2, c.createArrayOf("text", conversations));
        assign.setArray(3, c.createArrayOf("text", messages));
        updated = assign.executeUpdate();
      }
    }
    if (updated != members.size()) {
      throw new IllegalStateException((members.size() - updated) + " of the " + members.size() + " members of batch " + sequence
          + " are unknown or already in a batch");
    }
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

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}

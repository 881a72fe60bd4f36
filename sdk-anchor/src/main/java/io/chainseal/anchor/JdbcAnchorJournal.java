package io.chainseal.anchor;

import io.chainseal.chain.JournalException;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.SignerId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What the SQLite and PostgreSQL journals share: the tables' use, every query, and one connection on
 * which calls are serialized and each method commits before it returns. Subclasses bring the DDL, the
 * few statements whose syntax differs, and how to open and lead.
 */
abstract class JdbcAnchorJournal implements AnchorJournal {
  /** The statements whose syntax differs between databases. */
  record Dialect(String insertMessage, String insertTransaction, String transactionOrder, int blobType) {}

  final Connection connection;
  /** What error messages call this journal: a file, or a JDBC URL without its password. */
  final String name;
  private final Dialect dialect;

  JdbcAnchorJournal(String name, Connection connection, Dialect dialect) {
    this.name = name;
    this.connection = connection;
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

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  private synchronized <T> T transaction(String what, Work<T> work) {
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IllegalStateException state) {
        throw state;
      }
      throw new JournalException(what + " failed on " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Optional<Hash32>> append(List<JournalEntry> entries) {
    return transaction("append", () -> {
      List<Optional<Hash32>> outcomes = new ArrayList<>(entries.size());
      try (PreparedStatement insert = connection.prepareStatement(
              dialect.insertMessage());
          PreparedStatement existing = connection.prepareStatement(
              "SELECT commitment FROM messages WHERE conversation_id = ? AND message_id = ?")) {
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
          insert.setLong(6, entry.acceptedAt().toEpochMilli());
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
    return transaction("unbatched", () -> {
      List<JournalEntry> out = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT * FROM messages WHERE batch_seq IS NULL ORDER BY seq LIMIT ?")) {
        select.setInt(1, limit);
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
  public void createBatch(BatchRecord batch, List<MessageKey> members) {
    if (members.size() != batch.treeSize()) {
      throw new IllegalArgumentException("batch " + batch.sequence() + " has size " + batch.treeSize() + " but "
          + members.size() + " members");
    }
    transaction("createBatch", () -> {
      try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM batches WHERE sequence = ?")) {
        exists.setLong(1, batch.sequence());
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            throw new IllegalStateException("batch " + batch.sequence() + " already exists");
          }
        }
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO batches (sequence, root, tree_size, previous_root, state, created_at) VALUES (?, ?, ?, ?, 'CREATED', ?)")) {
        insert.setLong(1, batch.sequence());
        insert.setBytes(2, batch.root().bytes());
        insert.setLong(3, batch.treeSize());
        insert.setBytes(4, batch.previousRoot().bytes());
        insert.setLong(5, batch.createdAt().toEpochMilli());
        insert.executeUpdate();
      }
      try (PreparedStatement assign = connection.prepareStatement(
          "UPDATE messages SET batch_seq = ?, leaf_index = ? WHERE conversation_id = ? AND message_id = ? AND batch_seq IS NULL")) {
        for (int i = 0; i < members.size(); i++) {
          assign.setLong(1, batch.sequence());
          assign.setLong(2, i);
          assign.setString(3, members.get(i).conversationId());
          assign.setString(4, members.get(i).messageId());
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
  public void recordTransaction(long sequence, BatchRecord.SentTransaction transaction) {
    transaction("recordTransaction", () -> {
      try (PreparedStatement update = connection.prepareStatement(
              "UPDATE batches SET state = 'SENT', nonce = ?, tx_hash = ?, raw_tx = ? WHERE sequence = ? AND state IN ('CREATED', 'SENT')");
          PreparedStatement insert = connection.prepareStatement(
              dialect.insertTransaction())) {
        update.setLong(1, transaction.nonce());
        update.setBytes(2, transaction.hash().bytes());
        update.setBytes(3, transaction.raw());
        update.setLong(4, sequence);
        if (update.executeUpdate() != 1) {
          throw new IllegalStateException("recordTransaction: batch " + sequence + " is unknown or in the wrong state");
        }
        insert.setLong(1, sequence);
        insert.setLong(2, transaction.nonce());
        insert.setBytes(3, transaction.hash().bytes());
        insert.setBytes(4, transaction.raw());
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<BatchRecord.SentTransaction> transactions(long sequence) {
    return transaction("transactions", () -> {
      List<BatchRecord.SentTransaction> out = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT nonce, tx_hash, raw_tx FROM batch_transactions WHERE sequence = ? ORDER BY " + dialect.transactionOrder())) {
        select.setLong(1, sequence);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            out.add(new BatchRecord.SentTransaction(rs.getLong(1), Hash32.of(rs.getBytes(2)), rs.getBytes(3)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void recordReorged(long sequence) {
    update("recordReorged", "UPDATE batches SET state = 'SENT', chain_id = NULL, contract = NULL, block_number = NULL,"
        + " block_hash = NULL, log_index = NULL WHERE sequence = ? AND state IN ('ANCHORED', 'CONFIRMED')",
        statement -> statement.setLong(1, sequence), sequence);
  }

  @Override
  public void recordAnchored(long sequence, AnchorReference anchor) {
    Hash32 blockHash = java.util.Objects.requireNonNull(anchor.blockHash(), "anchor.blockHash == null");
    update("recordAnchored", "UPDATE batches SET state = 'ANCHORED', chain_id = ?, contract = ?, tx_hash = ?, block_number = ?,"
        + " block_hash = ?, log_index = ? WHERE sequence = ?", statement -> {
          statement.setLong(1, anchor.chainId());
          statement.setString(2, anchor.contract().checksummed());
          statement.setBytes(3, anchor.transactionHash().bytes());
          statement.setLong(4, anchor.blockNumber());
          statement.setBytes(5, blockHash.bytes());
          statement.setLong(6, anchor.logIndex());
          statement.setLong(7, sequence);
        }, sequence);
  }

  @Override
  public void recordConfirmed(long sequence) {
    update("recordConfirmed", "UPDATE batches SET state = 'CONFIRMED' WHERE sequence = ? AND state = 'ANCHORED'",
        statement -> statement.setLong(1, sequence), sequence);
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private void update(String what, String sql, Binder binder, long sequence) {
    transaction(what, () -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        binder.bind(statement);
        if (statement.executeUpdate() != 1) {
          throw new IllegalStateException(what + ": batch " + sequence + " is unknown or in the wrong state");
        }
      }
      return null;
    });
  }

  private static BatchRecord batch(ResultSet rs) throws SQLException {
    byte[] txHash = rs.getBytes("tx_hash");
    byte[] raw = rs.getBytes("raw_tx");
    BatchRecord.SentTransaction sent = txHash == null || raw == null ? null
        : new BatchRecord.SentTransaction(rs.getLong("nonce"), Hash32.of(txHash), raw);
    String contract = rs.getString("contract");
    byte[] blockHash = rs.getBytes("block_hash");
    AnchorReference anchor = contract == null ? null : new AnchorReference(rs.getLong("chain_id"), EvmAddress.fromHex(contract),
        Hash32.of(txHash), rs.getLong("block_number"), rs.getLong("log_index"), blockHash == null ? null : Hash32.of(blockHash));
    return new BatchRecord(rs.getLong("sequence"), Hash32.of(rs.getBytes("root")), rs.getLong("tree_size"),
        Hash32.of(rs.getBytes("previous_root")), BatchRecord.State.valueOf(rs.getString("state")),
        Instant.ofEpochMilli(rs.getLong("created_at")), sent, anchor, blockHash == null ? null : Hash32.of(blockHash));
  }

  private List<BatchRecord> batches(String what, String sql, @Nullable Long parameter) {
    return transaction(what, () -> {
      List<BatchRecord> out = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(sql)) {
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
  public List<BatchRecord> batchesAfter(long sequence) {
    return batches("batchesAfter", "SELECT * FROM batches WHERE sequence > ? ORDER BY sequence", sequence);
  }

  @Override
  public List<JournalEntry> members(long sequence) {
    return transaction("members", () -> {
      List<JournalEntry> out = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT * FROM messages WHERE batch_seq = ? ORDER BY leaf_index")) {
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
    return transaction("message", () -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT * FROM messages WHERE conversation_id = ? AND message_id = ?")) {
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
  public OptionalLong lastNonce() {
    return transaction("lastNonce", () -> {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT MAX(nonce) FROM batches")) {
        rs.next();
        long nonce = rs.getLong(1);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(nonce);
      }
    });
  }

  @Override
  public long messageCount() {
    return transaction("messageCount", () -> {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM messages")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new JournalException("cannot close journal " + name, e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}

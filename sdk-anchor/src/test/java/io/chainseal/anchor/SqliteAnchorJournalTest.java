package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.JournalException;
import io.chainseal.chain.TransactionJournal;
import io.chainseal.chain.TransactionJournalContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAnchorJournalTest extends AnchorJournalContract {
  @Override
  protected AnchorJournal open(Path folder) {
    return SqliteAnchorJournal.open(folder.resolve("journal.db"));
  }

  @Test
  void unopenableFileIsAJournalExceptionNamingIt() throws Exception {
    Path directory = Files.createDirectories(dir.resolve("a-directory.db"));
    JournalException e = assertThrows(JournalException.class, () -> SqliteAnchorJournal.open(directory));
    assertTrue(e.getMessage().contains("a-directory.db"), e.getMessage());
  }

  @Test
  void aSecondOpenerOfTheSameFileIsRefused() throws Exception {
    Path file = dir.resolve("shared.db");
    try (SqliteAnchorJournal first = SqliteAnchorJournal.open(file)) {
      JournalException second = assertThrows(JournalException.class, () -> SqliteAnchorJournal.open(file));
      assertTrue(second.getMessage().contains("in use by another anchorer"), second.getMessage());
      assertFalse(second.retryable());
      // And a second process too: the lock is the operating system's.
      Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), OpenJournal.class.getName(),
          file.toString()).redirectErrorStream(true).start();
      String output = new String(other.getInputStream().readAllBytes());
      int exit = other.waitFor();
      assertTrue(exit == 3, "the other process could open the journal (exit " + exit + "): " + output);
      assertTrue(output.contains("in use by another anchorer"), output);
    }
    try (SqliteAnchorJournal again = SqliteAnchorJournal.open(file)) {
      assertTrue(again.tryLead(), "free again once closed");
    }
  }

  /** Tries to open a journal file from another process: exit 0 if it could, 3 if it was refused. */
  public static final class OpenJournal {
    public static void main(String[] args) {
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(Path.of(args[0]))) {
        System.exit(0);
      } catch (JournalException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
    }
  }

  /** The transaction side of the SQLite journal. */
  @Nested
  class AsTransactionJournal extends TransactionJournalContract {
    @TempDir Path folder;
    private final List<SqliteAnchorJournal> opened = new ArrayList<>();

    @Override
    protected TransactionJournal journal() {
      SqliteAnchorJournal journal = SqliteAnchorJournal.open(folder.resolve("tx-" + opened.size() + ".db"));
      journal.tryLead();
      opened.add(journal);
      return journal;
    }

    @AfterEach
    void closeJournals() {
      opened.forEach(SqliteAnchorJournal::close);
    }
  }
}

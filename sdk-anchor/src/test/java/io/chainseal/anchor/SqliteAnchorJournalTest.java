package io.chainseal.anchor;

import io.chainseal.chain.JournalException;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}

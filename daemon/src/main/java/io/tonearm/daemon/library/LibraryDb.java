package io.tonearm.daemon.library;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The library's SQLite database: one writer connection, used under this object's lock, and one
 * reader connection per reading thread. WAL mode lets readers run beside the writer; {@code
 * synchronous=NORMAL} under WAL keeps every committed transaction across a process kill (only power
 * loss may drop the last few), and SQLite never leaves a half-written transaction visible.
 */
public final class LibraryDb implements AutoCloseable {
  private final String url;
  private final Connection writer;
  private final List<Connection> readers = new ArrayList<>();
  private final ThreadLocal<Connection> reader = new ThreadLocal<>();

  /** Opens (creating if needed) {@code dataDir/library.db} and migrates it to the latest schema. */
  public LibraryDb(Path dataDir) throws SQLException {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create data dir " + dataDir + ": " + e.getMessage(), e);
    }
    this.url = "jdbc:sqlite:" + dataDir.resolve("library.db").toAbsolutePath();
    this.writer = DriverManager.getConnection(url);
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=NORMAL");
      st.execute("PRAGMA busy_timeout=10000");
      st.execute("PRAGMA temp_store=MEMORY");
    }
    Schema.migrate(writer);
  }

  /** Runs {@code work} in one write transaction; rolled back whole when it throws. */
  public synchronized <T> T write(SqlWork<T> work) throws SQLException {
    writer.setAutoCommit(false);
    try {
      T result = work.run(writer);
      writer.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      writer.rollback();
      throw e;
    } finally {
      writer.setAutoCommit(true);
    }
  }

  /** This thread's read connection (opened on first use, closed with the database). */
  public Connection reader() throws SQLException {
    Connection c = reader.get();
    if (c == null) {
      c = DriverManager.getConnection(url);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout=10000");
        st.execute("PRAGMA query_only=1");
      }
      synchronized (readers) {
        readers.add(c);
      }
      reader.set(c);
    }
    return c;
  }

  /**
   * Gives back the memory the writer connection's page cache holds ({@code PRAGMA shrink_memory}):
   * a scan reads and writes every page of the library, so the cache is at its bound (2 MB) when it
   * ends and would stay so, outside the Java heap, until the next scan. Called after each scan; the
   * next write reads its pages from the file again.
   */
  public synchronized void releaseMemory() {
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA shrink_memory");
    } catch (SQLException e) {
      // a closed database: nothing held any more
    }
  }

  /** Work on a connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  @Override
  public void close() throws SQLException {
    synchronized (readers) {
      for (Connection c : readers) {
        c.close();
      }
      readers.clear();
    }
    synchronized (this) {
      writer.close();
    }
  }
}

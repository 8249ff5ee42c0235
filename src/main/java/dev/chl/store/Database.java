package dev.chl.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database: a connection pool, migrations, and the two ways in — {@link #read} and {@link #write}.
 * Every write runs in one transaction, so a change and its audit row commit or roll back together.
 */
public final class Database implements AutoCloseable {
    private static final int BUSY_TIMEOUT_MS = 15_000;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    // SQLite has one writer at a time; queueing writers here is fairer and faster than SQLite's busy-sleep loop.
    private final ReentrantLock sqliteWriteLock = new ReentrantLock(true);

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        // Listing queries bind every optional filter and use only those that are set.
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    }

    /** Opens (creating if needed) a SQLite file in WAL mode with foreign keys on and a busy timeout. */
    public static Database openSqlite(Path file) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Writers take the lock up front, so two processes never deadlock upgrading a read to a write.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig pool = new HikariConfig();
        pool.setDataSource(source);
        pool.setPoolName("chl-sqlite");
        pool.setMaximumPoolSize(8);
        pool.setMinimumIdle(2);
        return new Database(new HikariDataSource(pool), Dialect.SQLITE);
    }

    /**
     * Reads a SQLite file other than the live database — a backup — read-only, on a connection of its own that is
     * closed afterwards: what a copy holds is counted in the copy.
     */
    public static <T> T readSqliteFile(Path file, Function<Tx, T> work) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setReadOnly(true);
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return Jdbi.create(source).withHandle(handle -> work.apply(new Tx(handle, Dialect.SQLITE)));
    }

    /**
     * Changes a SQLite file other than the live database — a backup being written — in one transaction on a connection
     * of its own that is closed afterwards.
     */
    public static void writeSqliteFile(Path file, java.util.function.Consumer<Tx> work) {
        SQLiteDataSource source = new SQLiteDataSource(new SQLiteConfig());
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Jdbi.create(source).useTransaction(handle -> work.accept(new Tx(handle, Dialect.SQLITE)));
    }

    /** Brings the schema to the newest version. Safe to call on every start. */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(dialect.migrationPlaceholders())
                .load()
                .migrate();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Runs reads outside a transaction: each statement sees a consistent snapshot. */
    public <T> T read(Function<Tx, T> work) {
        return translate(() -> jdbi.withHandle(handle -> work.apply(new Tx(handle, dialect))));
    }

    /** Runs {@code work} in one transaction: all of it commits, or none of it does. */
    public <T> T write(Function<Tx, T> work) {
        boolean serialize = dialect == Dialect.SQLITE;
        if (serialize) {
            sqliteWriteLock.lock();
        }
        try {
            return translate(() -> jdbi.inTransaction(handle -> work.apply(new Tx(handle, dialect))));
        } finally {
            if (serialize) {
                sqliteWriteLock.unlock();
            }
        }
    }

    /** A cheap round trip that proves the database answers. */
    public void ping() {
        read(tx -> tx.handle().createQuery("SELECT 1").mapTo(Integer.class).one());
    }

    private <T> T translate(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && dialect.isDuplicateKey(sql)) {
                throw new DuplicateKeyException(sql.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

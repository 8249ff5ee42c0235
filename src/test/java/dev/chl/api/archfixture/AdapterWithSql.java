package dev.chl.api.archfixture;

import dev.chl.store.Database;
import java.sql.Connection;
import org.jdbi.v3.core.Jdbi;

/** Breaks DESIGN §11 on purpose (an adapter reaching into the store and SQL), so ArchitectureTest can prove its rules bite. */
public final class AdapterWithSql {
    Database database;
    Jdbi jdbi;
    Connection connection;
}

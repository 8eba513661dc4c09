package io.kafkadr.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database of its own on the machine's PostgreSQL server (127.0.0.1:5432, user {@code postgres},
 * trust authentication), for a test that streams changes out of it with Debezium. Its name is
 * unique to the run, so runs side by side do not see each other's tables or replication slots;
 * {@link #close()} drops it with every replication slot on it.
 */
public final class PostgresDatabase implements AutoCloseable {

	/** The server's host, as Debezium's {@code database.hostname}. */
	public static final String HOST = "127.0.0.1";

	/** The server's port, as Debezium's {@code database.port}. */
	public static final int PORT = 5432;

	/** The superuser the tests log in as; Debezium creates its publication with it. */
	public static final String USER = "postgres";

	private static final String PREFIX = "kafka_dr_pipeline_";

	/**
	 * Databases and slots of runs that died before their cleanup, older than this, are dropped: an
	 * abandoned slot keeps every WAL segment from then on, until the server's disk is full.
	 */
	private static final Duration ABANDONED = Duration.ofHours(2);

	private final String name;

	private PostgresDatabase(String name) {
		this.name = name;
	}

	/**
	 * Creates a fresh database, after checking that the server can feed logical replication: a server
	 * with {@code wal_level} below {@code logical} fails here with the fix, not later as a connector
	 * that never starts.
	 */
	public static PostgresDatabase create() {
		String name = PREFIX + Instant.now().getEpochSecond() + "_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
			String walLevel = queryString(statement, "SHOW wal_level");
			if (!"logical".equals(walLevel)) {
				throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " runs with wal_level=" + walLevel
						+ ", and Debezium needs wal_level=logical. Fix: psql -h " + HOST + " -U " + USER
						+ " -c \"ALTER SYSTEM SET wal_level = logical\" and restart the server (pg_ctlcluster"
						+ " --skip-systemctl-redirect <version> main restart); .ci/run does both.");
			}
			dropAbandoned(statement);
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create a database on the PostgreSQL server at " + HOST + ":"
					+ PORT + " (is it running? .ci/run starts it): " + ex.getMessage(), ex);
		}
		return new PostgresDatabase(name);
	}

	/** The database's name, as Debezium's {@code database.dbname}. */
	public String name() {
		return this.name;
	}

	/**
	 * Runs the statements in one transaction and returns its transaction id as logical decoding, and
	 * so Debezium's {@code txId} offset, reports it: the 32-bit xid, without the epoch that
	 * {@code txid_current()} puts above it.
	 */
	public long transaction(String... statements) {
		try (Connection connection = connect(this.name)) {
			connection.setAutoCommit(false);
			long transactionId;
			try (Statement statement = connection.createStatement()) {
				for (String sql : statements) {
					statement.execute(sql);
				}
				transactionId = Long.parseLong(queryString(statement, "SELECT txid_current()")) & 0xFFFF_FFFFL;
			}
			connection.commit();
			return transactionId;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL refused " + List.of(statements) + ": " + ex.getMessage(), ex);
		}
	}

	/** The values of the first column of a query, as text. */
	public List<String> column(String query) {
		try (Connection connection = connect(this.name); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(query)) {
			List<String> values = new ArrayList<>();
			while (rows.next()) {
				values.add(rows.getString(1));
			}
			return values;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL refused " + query + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Drops the database and its replication slots, ending the connection of a connector that still
	 * reads one: stop the connector first.
	 */
	@Override
	public void close() {
		try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
			drop(statement, this.name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop the database " + this.name + ": " + ex.getMessage(), ex);
		}
	}

	private static void dropAbandoned(Statement statement) throws SQLException {
		long before = Instant.now().minus(ABANDONED).getEpochSecond();
		List<String> abandoned = new ArrayList<>();
		try (ResultSet rows = statement
			.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
			while (rows.next()) {
				String database = rows.getString(1);
				String created = database.substring(PREFIX.length()).split("_")[0];
				if (created.chars().allMatch(Character::isDigit) && Long.parseLong(created) < before) {
					abandoned.add(database);
				}
			}
		}
		for (String database : abandoned) {
			drop(statement, database);
		}
	}

	private static void drop(Statement statement, String database) throws SQLException {
		// A connector task that outlived its worker's shutdown timeout may still hold its slot for a moment.
		statement.execute("SELECT pg_terminate_backend(active_pid, 5000) FROM pg_replication_slots WHERE database = '"
				+ database + "' AND active");
		statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
				+ database + "'");
		statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
	}

	private static String queryString(Statement statement, String query) throws SQLException {
		try (ResultSet rows = statement.executeQuery(query)) {
			rows.next();
			return rows.getString(1);
		}
	}

	private static Connection connect(String database) throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, "");
	}

}

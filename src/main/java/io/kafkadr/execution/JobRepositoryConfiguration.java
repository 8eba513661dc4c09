package io.kafkadr.execution;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.support.JdbcDefaultBatchConfiguration;
import org.springframework.batch.core.converter.JobParametersConverter;
import org.springframework.batch.core.repository.ExecutionContextSerializer;
import org.springframework.batch.infrastructure.support.DatabaseType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.batch.autoconfigure.BatchConversionServiceCustomizer;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.support.ConfigurableConversionService;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;

/**
 * Spring Batch on the JDBC job repository, configured as Spring Boot's {@code BatchJdbcAutoConfiguration}
 * does (it backs off for this one; its own class cannot be extended), except that nothing connects to
 * the database while the application starts: the database type comes from the JDBC URL, and the
 * DataSource opens the job repository on its first connection ({@link JobRepositoryDataSource}).
 * Boot's configuration read the database's metadata as the context started, and the schema's
 * initializer, a bean then, connected too, so a command refused after the start had created the H2
 * file all the same. Boot's support for a second, {@code @BatchDataSource} DataSource is left out:
 * kafka-dr has one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchJdbcProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class JobRepositoryConfiguration extends JdbcDefaultBatchConfiguration {

	/** The DataSource bean that Spring Batch, and Boot's transaction manager, use. */
	private static final String DATA_SOURCE = "dataSource";

	private final DataSource dataSource;

	private final PlatformTransactionManager transactionManager;

	private final TaskExecutor taskExecutor;

	private final BatchJdbcProperties properties;

	private final List<BatchConversionServiceCustomizer> conversionServiceCustomizers;

	private final ExecutionContextSerializer executionContextSerializer;

	private final JobParametersConverter jobParametersConverter;

	private final JdbcConnectionDetails connectionDetails;

	JobRepositoryConfiguration(DataSource dataSource, PlatformTransactionManager transactionManager,
			@BatchTaskExecutor ObjectProvider<TaskExecutor> taskExecutor, BatchJdbcProperties properties,
			ObjectProvider<BatchConversionServiceCustomizer> conversionServiceCustomizers,
			ObjectProvider<ExecutionContextSerializer> executionContextSerializer,
			ObjectProvider<JobParametersConverter> jobParametersConverter,
			ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		this.dataSource = dataSource;
		this.transactionManager = transactionManager;
		this.taskExecutor = taskExecutor.getIfAvailable();
		this.properties = properties;
		this.conversionServiceCustomizers = conversionServiceCustomizers.orderedStream().toList();
		this.executionContextSerializer = executionContextSerializer.getIfAvailable();
		this.jobParametersConverter = jobParametersConverter.getIfAvailable();
		this.connectionDetails = connectionDetails.getIfAvailable();
	}

	/**
	 * Makes the DataSource the job repository's: every user of it (Spring Batch, the transaction
	 * manager) gets the same object, so transactions bind one connection for all of them.
	 */
	@Bean
	static BeanPostProcessor jobRepositoryDataSource(Environment environment,
			ObjectProvider<BatchJdbcProperties> properties) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (DATA_SOURCE.equals(name) && bean instanceof DataSource target
						&& !(bean instanceof JobRepositoryDataSource)) {
					return new JobRepositoryDataSource(target, JobRepositoryLocation.inEffect(environment).orElse(null),
							properties.getObject());
				}
				return bean;
			}

		};
	}

	@Override
	protected DataSource getDataSource() {
		return this.dataSource;
	}

	@Override
	protected PlatformTransactionManager getTransactionManager() {
		return this.transactionManager;
	}

	/**
	 * The type of the databases kafka-dr documents, read from the URL; any other is asked for its
	 * metadata, as Spring Batch does, which connects while the application starts.
	 */
	@Override
	protected String getDatabaseType() throws MetaDataAccessException {
		String url = (this.connectionDetails != null) ? this.connectionDetails.getJdbcUrl() : null;
		return switch ((url != null) ? DatabaseDriver.fromJdbcUrl(url) : DatabaseDriver.UNKNOWN) {
			case H2 -> DatabaseType.H2.name();
			case POSTGRESQL -> DatabaseType.POSTGRES.name();
			default -> super.getDatabaseType();
		};
	}

	@Override
	protected String getTablePrefix() {
		String tablePrefix = this.properties.getTablePrefix();
		return (tablePrefix != null) ? tablePrefix : super.getTablePrefix();
	}

	@Override
	protected boolean getValidateTransactionState() {
		return this.properties.isValidateTransactionState();
	}

	@Override
	protected Isolation getIsolationLevelForCreate() {
		Isolation isolation = this.properties.getIsolationLevelForCreate();
		return (isolation != null) ? isolation : super.getIsolationLevelForCreate();
	}

	@Override
	protected ConfigurableConversionService getConversionService() {
		ConfigurableConversionService conversionService = super.getConversionService();
		for (BatchConversionServiceCustomizer customizer : this.conversionServiceCustomizers) {
			customizer.customize(conversionService);
		}
		return conversionService;
	}

	@Override
	protected ExecutionContextSerializer getExecutionContextSerializer() {
		return (this.executionContextSerializer != null) ? this.executionContextSerializer
				: super.getExecutionContextSerializer();
	}

	@Override
	@Deprecated(since = "6.0", forRemoval = true)
	@SuppressWarnings("removal")
	protected JobParametersConverter getJobParametersConverter() {
		return (this.jobParametersConverter != null) ? this.jobParametersConverter : super.getJobParametersConverter();
	}

	@Override
	protected TaskExecutor getTaskExecutor() {
		return (this.taskExecutor != null) ? this.taskExecutor : super.getTaskExecutor();
	}

}

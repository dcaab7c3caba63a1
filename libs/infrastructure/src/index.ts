export {
  DEFAULT_DATABASE_URL,
  DEFAULT_KAFKA_BROKERS,
  EnvironmentDto,
  EnvironmentException,
  loadEnvironment,
} from './config/environment.dto.js';
export {
  BatchKafkaServer,
  MESSAGE_BATCH_PATTERN,
  type BatchKafkaOptions,
  type BatchMessage,
  type MessageBatch,
} from './kafka/batch-kafka.server.js';
export { kafkaLogCreator } from './kafka/kafka-logging.js';
export { createLogger, maskSubjectRef, PinoNestLogger, REDACTED_PATHS } from './logging/logger.js';

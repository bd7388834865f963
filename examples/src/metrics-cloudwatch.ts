// Producer metrics to Amazon CloudWatch, as the KPL uploads them: PutMetricData with statistic
// sets (SampleCount, Sum, Minimum, Maximum), at most 20 datums per request, every
// metricsUploadDelayMs. The IAM principal needs cloudwatch:PutMetricData.
//
// Run: STREAM_NAME=orders KINESIS_ENDPOINT=http://127.0.0.1:4567 node dist/metrics-cloudwatch.js
// (CLOUDWATCH_ENDPOINT points the sink elsewhere than the region's CloudWatch, e.g. a local fake.)
import { Producer } from '@tskpl/producer';
import { CloudWatchSink } from '@tskpl/sink-cloudwatch';
import { connectionFromEnv, isMain, type Connection } from './connection.js';
import { putSampleRecords } from './sample-load.js';

/** A producer whose metrics go to CloudWatch under `namespace` (the KPL's default is KinesisProducerLibrary). */
export function createProducerWithCloudWatch(connection: Connection, options: { namespace: string; cloudWatchEndpoint?: string; metricsUploadDelayMs?: number }): Producer {
  return new Producer({
    ...connection.producerOptions,
    metricsLevel: 'detailed',
    metricsGranularity: 'shard', // the KPL's defaults; 'stream' costs far fewer CloudWatch series
    metricsUploadDelayMs: options.metricsUploadDelayMs ?? 60_000,
    metricsSink: new CloudWatchSink({
      namespace: options.namespace,
      ...(connection.producerOptions.region ? { region: connection.producerOptions.region } : {}),
      ...(options.cloudWatchEndpoint ? { endpoint: options.cloudWatchEndpoint } : {}),
    }),
  });
}

if (isMain(import.meta.url)) {
  const connection = connectionFromEnv();
  const producer = createProducerWithCloudWatch(connection, { namespace: 'MyApp/Kinesis', cloudWatchEndpoint: process.env.CLOUDWATCH_ENDPOINT });
  const delivered = await putSampleRecords(producer, connection.streamName, 1_000);
  await producer.close(); // one final, bounded upload of the last window
  console.log(`delivered ${delivered} records`);
}

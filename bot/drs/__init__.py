"""The Huawei Cloud side: progress client, retry policy, credentials, job IDs, simulator."""

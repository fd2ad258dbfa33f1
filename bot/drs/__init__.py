"""The Huawei Cloud side: progress client, credentials, job IDs, endpoints and a simulator."""

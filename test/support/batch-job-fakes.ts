import type { BatchJob, BatchJobArea, BatchJobStore, BatchWork } from '@madad/core';

type Area = { -readonly [K in keyof BatchJobArea]: BatchJobArea[K] };

/**
 * An in-memory batch job store with the DynamoDB adapter's conditions (`building` checked and set in
 * one synchronous step), and a queue that keeps what was sent.
 */
export function memoryBatchJobs() {
  const jobs = new Map<string, BatchJob>();
  const areas = new Map<string, Area>();
  const key = (jobId: string, district: string) => `${jobId}|${district.toUpperCase()}`;
  const sent: BatchWork[] = [];
  const store: BatchJobStore = {
    create: async (job, now) => {
      for (const district of job.districts) {
        areas.set(key(job.jobId, district), {
          district,
          status: 'queued',
          batches: 0,
          lines: 0,
          total: 0,
          held: 0,
          updatedAt: now,
        });
      }
      jobs.set(job.jobId, job);
    },
    get: async (jobId) => {
      const job = jobs.get(jobId);
      if (!job) return undefined;
      return {
        job,
        areas: job.districts.flatMap((d) => areas.get(key(jobId, d)) ?? []).map((a) => ({ ...a })),
      };
    },
    area: async (jobId, district) => {
      const area = areas.get(key(jobId, district));
      return area ? { ...area } : undefined;
    },
    startBatch: async (jobId, district, batchId, now) => {
      const area = areas.get(key(jobId, district));
      if (area?.status !== 'queued' || area.building) return false;
      Object.assign(area, { building: batchId, updatedAt: now });
      return true;
    },
    finishBatch: async (jobId, district, batchId, counts, now) => {
      const area = areas.get(key(jobId, district));
      if (area?.building !== batchId) return false;
      delete area.building;
      area.batches += counts.lines > 0 ? 1 : 0;
      area.lines += counts.lines;
      area.total += counts.total;
      area.held += counts.held;
      area.updatedAt = now;
      return true;
    },
    finishArea: async (jobId, district, batchId, now) => {
      const area = areas.get(key(jobId, district));
      if (!area || (area.building && area.building !== batchId)) return;
      delete area.building;
      area.status = 'done';
      area.updatedAt = now;
    },
    listByCampaign: async (campaignId, limit) =>
      [...jobs.values()]
        .filter((j) => j.campaignId === campaignId)
        .reverse()
        .slice(0, limit),
  };
  const queue = { enqueueAll: async (items: readonly BatchWork[]) => void sent.push(...items) };
  return { store, queue, sent, areas };
}

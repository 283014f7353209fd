"""Dramatiq on Redis: a message per submitted job wakes a ``kreyol worker`` at once.

The message only carries the task id; the database claim still decides who runs a job, so a
duplicated message is harmless and a lost one is caught by the workers' polling.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker

logger = logging.getLogger(__name__)
QUEUE = "documents"
ACTOR = "process_document"


def broker_for(redis_url: str) -> RedisBroker:
    """A broker in its own namespace, so it never touches the cache or limiter keys."""
    return RedisBroker(url=redis_url, namespace="kreyol-jobs")


def _unbound(task_id: str) -> None:
    raise RuntimeError(f"no worker handler bound for {task_id}")


class JobQueue:
    """Sends job messages (API side) and binds the handler that runs them (worker side)."""

    def __init__(self, broker: RedisBroker, handler: Callable[[str], object] = _unbound):
        self.broker = broker
        self.actor = dramatiq.actor(
            handler, broker=broker, actor_name=ACTOR, queue_name=QUEUE, max_retries=0
        )

    def enqueue(self, task_id: str) -> bool:
        """Send the wake-up; a Redis failure is logged and left to the polling workers."""
        try:
            self.actor.send(task_id)
        except (redis.RedisError, dramatiq.errors.ConnectionError):
            logger.warning("could not queue job %s; a polling worker will pick it up", task_id)
            return False
        return True

    def consume(self, threads: int) -> dramatiq.Worker:
        """Start consuming this queue in background threads."""
        worker = dramatiq.Worker(self.broker, queues={QUEUE}, worker_threads=threads)
        worker.start()
        return worker

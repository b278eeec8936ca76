#!/usr/bin/env python3
"""A conversation with the SkillForge worker over plain AMQP, without MassTransit.

Sends three chat turns, resends the last one with the same TurnId (answered Replayed), reads the session's history,
erases the session and checks that it is gone. Exits 0 only when every step got the answer it expects.
The protocol is described in docs/wire-protocol.md.

Settings (environment):
  SKILLFORGE_AMQP_URL  amqp://skillforge-upstream:skillforge-upstream@127.0.0.1:5672/skillforge (amqps://… for TLS)
  SKILLFORGE_CA_FILE   PEM file of the CA that issued the broker's certificate (amqps only; default: the system's)
  SKILLFORGE_TIMEOUT   seconds to wait for each answer (default 30)
  SKILLFORGE_TENANT    tenant id (default python-sample)

Exit codes: 0 every step answered as expected; 1 a step got another answer, a fault, or none in time;
2 the broker could not be reached or refused an operation; 3 the worker's queue was full (the broker refused a request).
"""

import json
import os
import ssl
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pika
import pika.exceptions

CONTENT_TYPE = "application/vnd.masstransit+json"
FAULT = "urn:message:MassTransit:Fault"

# The worker's queues (SkillForgeQueues); a sender publishes to the fanout exchange "<queue>.in".
CHAT_TURNS = "skillforge-chat-turns"
SESSION_HISTORY = "skillforge-session-history"
SESSION_ERASURE = "skillforge-session-erasure"

# How many times a chat turn is sent in all when no answer comes, as the .NET client does (TurnAttempts).
TURN_ATTEMPTS = 3


def urn(type_name):
    return "urn:message:SkillForge.Contracts:" + type_name


def utc_now():
    return datetime.now(timezone.utc)


def iso(moment):
    # System.Text.Json reads ISO 8601 with up to seven fractional digits; Z marks UTC.
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class StepFailed(Exception):
    """A step got an answer other than the one it expects, a fault, or no answer in time."""


class RequestTimedOut(StepFailed):
    pass


class WorkerConnection:
    """One AMQP connection with a reply queue of its own, and request/response over it."""

    def __init__(self, url, ca_file, timeout):
        parameters = pika.URLParameters(url)
        if parameters.ssl_options is not None and ca_file:
            # A private CA (ops/dev.sh's .data/tls/ca.crt) is trusted for this connection alone.
            parameters.ssl_options = pika.SSLOptions(ssl.create_default_context(cafile=ca_file))
        self.timeout = timeout
        self.user = parameters.credentials.username
        self.connection = pika.BlockingConnection(parameters)
        self.channel = self.connection.channel()
        # Confirms and mandatory publishes: a request nothing is bound to fails at once instead of timing out.
        self.channel.confirm_delivery()

        # The broker lets this user declare and read only names under "reply.<user>."; the worker may publish to
        # any "reply." exchange. MassTransit publishes the answer to the exchange named by responseAddress and
        # declares it first with the flags the address implies (temporary=true: not durable, auto-delete), so it is
        # declared here with the same flags; other flags would make the worker's declaration fail.
        self.reply_name = "reply.%s.python-%s" % (self.user, uuid.uuid4().hex)
        self.channel.exchange_declare(self.reply_name, exchange_type="fanout", durable=False, auto_delete=True)
        self.channel.queue_declare(self.reply_name, durable=False, exclusive=True, auto_delete=True)
        self.channel.queue_bind(self.reply_name, self.reply_name)
        self.channel.basic_consume(self.reply_name, self._on_reply, auto_ack=True)

        scheme = "rabbitmqs" if parameters.ssl_options is not None else "rabbitmq"
        vhost = parameters.virtual_host
        path = "" if vhost == "/" else "/" + quote(vhost, safe="")
        self.base_address = "%s://%s%s" % (scheme, parameters.host, path)
        self.reply_address = "%s/%s?temporary=true" % (self.base_address, self.reply_name)
        self._replies = {}

    def close(self):
        if self.connection.is_open:
            self.connection.close()

    def _on_reply(self, channel, method, properties, body):
        try:
            envelope = json.loads(body)
        except ValueError:
            print("ignored a reply that is not JSON", file=sys.stderr)
            return
        self._replies[envelope.get("requestId")] = envelope

    def request(self, queue, type_name, message, answers, session=None, attempts=1):
        """Sends `message` as `type_name` to `queue` and returns (answer type name, answer message).

        `answers` are the type names the request may be answered with. A request sent again after a timeout gets a
        new requestId; an answer to any of its attempts is taken.
        """
        request_ids = []
        for attempt in range(1, attempts + 1):
            request_ids.append(self._publish(queue, type_name, message, session))
            deadline = time.monotonic() + self.timeout
            while True:
                for request_id in request_ids:
                    if request_id in self._replies:
                        return self._read_answer(self._replies.pop(request_id), type_name, answers)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.connection.process_data_events(time_limit=min(remaining, 1.0))
            if attempt < attempts:
                print("  no answer within %g s; sending it again (attempt %d of %d)" % (self.timeout, attempt + 1, attempts))
        raise RequestTimedOut("no answer to %s within %g s (%d attempt%s)"
                              % (type_name, self.timeout, attempts, "" if attempts == 1 else "s"))

    def _publish(self, queue, type_name, message, session):
        message_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
        sent = utc_now()
        # The session's ids in headers, as every SkillForge party sends them, so a person reading a queue sees whose
        # message it is without reading the body.
        headers = {} if session is None else {"SkillForge-TenantId": session[0], "SkillForge-SessionId": session[1]}
        envelope = {
            "messageId": message_id,
            "requestId": request_id,
            "conversationId": str(uuid.uuid4()),
            "sourceAddress": self.reply_address,
            "destinationAddress": "%s/%s.in" % (self.base_address, queue),
            "responseAddress": self.reply_address,
            "faultAddress": self.reply_address,
            "messageType": [urn(type_name)],
            "message": message,
            "expirationTime": iso(sent + timedelta(seconds=self.timeout)),
            "sentTime": iso(sent),
            "headers": headers,
        }
        properties = pika.BasicProperties(
            content_type=CONTENT_TYPE,
            delivery_mode=2,
            message_id=message_id,
            # RabbitMQ refuses a user_id other than the connection's: the worker may trust it.
            user_id=self.user,
            headers=headers,
            # A request nobody took within the timeout is dropped, as the .NET client's are.
            expiration=str(int(self.timeout * 1000)),
        )
        self.channel.basic_publish(exchange=queue + ".in", routing_key="", body=json.dumps(envelope).encode("utf-8"),
                                   properties=properties, mandatory=True)
        return request_id

    @staticmethod
    def _read_answer(envelope, type_name, answers):
        message_types = envelope.get("messageType") or []
        if FAULT in message_types:
            fault = envelope.get("message") or {}
            reasons = "; ".join("%s: %s" % (e.get("exceptionType"), e.get("message")) for e in fault.get("exceptions") or [])
            raise StepFailed("the worker faulted on %s: %s" % (type_name, reasons or "no exception given"))
        for answer in answers:
            if urn(answer) in message_types:
                return answer, envelope.get("message") or {}
        raise StepFailed("%s was answered with %s, not one of %s" % (type_name, ", ".join(message_types), ", ".join(answers)))


def expect(step, got, wanted, message):
    if got != wanted:
        detail = ": %s %s" % (message.get("code"), message.get("reason")) if "code" in message else ""
        raise StepFailed("%s: expected %s, got %s%s" % (step, wanted, got, detail))


def converse(worker, tenant, session):
    ids = (tenant, session)
    turns = [
        "I want a skill that reviews SQL migrations for risky changes",
        "Name it sql-migration-review",
        "Description: Reviews SQL migration files and flags locking, data loss and long rewrites",
    ]
    last = None
    for number, text in enumerate(turns, 1):
        last = {"tenantId": tenant, "sessionId": session, "turnId": str(uuid.uuid4()), "text": text,
                "userId": "python-sample-user", "sentAt": iso(utc_now())}
        # Every attempt carries the same TurnId: a turn applied whose answer was lost comes back Replayed.
        got, answer = worker.request(CHAT_TURNS, "ProcessChatTurn", last, ["ChatTurnReplied", "ChatTurnRejected"],
                                     session=ids, attempts=TURN_ATTEMPTS)
        expect("turn %d" % number, got, "ChatTurnReplied", answer)
        print("turn %d  > %s" % (number, text))
        print("        < %s" % answer["reply"])
        print("        state %s, status %s, version %d" % (answer["state"], answer["status"], answer["version"]))

    # The same turn again, as after a lost answer: the worker answers from the store and writes nothing.
    got, answer = worker.request(CHAT_TURNS, "ProcessChatTurn", last, ["ChatTurnReplied", "ChatTurnRejected"],
                                 session=ids, attempts=TURN_ATTEMPTS)
    expect("resent turn", got, "ChatTurnReplied", answer)
    if not answer["replayed"]:
        raise StepFailed("resent turn: the answer is not marked replayed")
    print("resent turn %s: replayed, version %d" % (last["turnId"], answer["version"]))

    got, answer = worker.request(SESSION_HISTORY, "GetSessionHistory",
                                 {"tenantId": tenant, "sessionId": session, "limit": 100, "beforeSeq": None},
                                 ["SessionHistory", "SessionNotFound"], session=ids)
    expect("history", got, "SessionHistory", answer)
    print("history: %d messages, state %s, version %d" % (len(answer["messages"]), answer["state"], answer["version"]))
    for stored in answer["messages"]:
        print("  %3d %-9s %s" % (stored["seq"], stored["role"], stored["content"].replace("\n", " ")[:100]))

    got, answer = worker.request(SESSION_ERASURE, "EraseSession",
                                 {"tenantId": tenant, "sessionId": session, "reason": "user_request"},
                                 ["SessionErased", "ErasureRefused"], session=ids)
    expect("erasure", got, "SessionErased", answer)
    print("erased: existed %s, %d messages deleted" % (answer["existed"], answer["messagesDeleted"]))

    got, answer = worker.request(SESSION_HISTORY, "GetSessionHistory",
                                 {"tenantId": tenant, "sessionId": session, "limit": 100, "beforeSeq": None},
                                 ["SessionHistory", "SessionNotFound"], session=ids)
    expect("history after the erasure", got, "SessionNotFound", answer)
    print("history after the erasure: session not found")


def main():
    url = os.environ.get("SKILLFORGE_AMQP_URL",
                         "amqp://skillforge-upstream:skillforge-upstream@127.0.0.1:5672/skillforge")
    ca_file = os.environ.get("SKILLFORGE_CA_FILE") or None
    tenant = os.environ.get("SKILLFORGE_TENANT", "python-sample")
    try:
        timeout = float(os.environ.get("SKILLFORGE_TIMEOUT", "30"))
    except ValueError:
        print("SKILLFORGE_TIMEOUT must be a number of seconds", file=sys.stderr)
        return 2
    session = "python-%s" % uuid.uuid4().hex[:12]

    try:
        worker = WorkerConnection(url, ca_file, timeout)
    except pika.exceptions.ProbableAuthenticationError:
        print("the broker refused the login: check the user and password in SKILLFORGE_AMQP_URL", file=sys.stderr)
        return 2
    except pika.exceptions.ChannelClosedByBroker as e:
        print("the broker refused to set up the reply queue (%s %s): the user may configure and read only "
              "reply.<user>.* names" % (e.reply_code, e.reply_text), file=sys.stderr)
        return 2
    except (pika.exceptions.AMQPError, OSError) as e:
        print("cannot connect to the broker at SKILLFORGE_AMQP_URL: %r" % (e,), file=sys.stderr)
        return 2
    print("tenant %s, session %s, replies to %s" % (tenant, session, worker.reply_name))
    try:
        converse(worker, tenant, session)
    except StepFailed as e:
        print("FAILED: %s" % e, file=sys.stderr)
        return 1
    except pika.exceptions.NackError:
        # The worker's request queues have a length limit with reject-publish: the worker is that far behind.
        print("the broker refused a request (basic.nack): the worker's queue is full; nothing was queued, send it "
              "again later", file=sys.stderr)
        return 3
    except pika.exceptions.UnroutableError:
        print("the broker returned a request: no queue is bound to the worker's exchange (is the worker deployed "
              "to this vhost and ops/rabbitmq/definitions.json loaded?)", file=sys.stderr)
        return 2
    except pika.exceptions.ChannelClosedByBroker as e:
        # 404: the exchange does not exist; 403: this user may not publish there; 406: a user_id not the connection's.
        print("the broker closed the channel: %s %s" % (e.reply_code, e.reply_text), file=sys.stderr)
        return 2
    except (pika.exceptions.AMQPError, OSError) as e:
        print("lost the broker: %r" % (e,), file=sys.stderr)
        return 2
    finally:
        try:
            worker.close()
        except (pika.exceptions.AMQPError, OSError):
            pass  # the broker is gone already; the reply queue goes with the connection
    print("OK: every step got the expected answer")
    return 0


if __name__ == "__main__":
    sys.exit(main())

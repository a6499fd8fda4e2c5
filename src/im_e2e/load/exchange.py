"""The Locust custom messages between the master and the workers of a distributed cell, in the
order they are exchanged:

    master → worker  SHARE         its Assignment (shares.py), once the worker reported its spawned users
    worker → master  CONNECTED     its members and senders are logged in (count, its clock, any mismatch)
    master → all     GO            t0, the epoch second of seq 0
    worker → master  SENDERS_DONE  its senders sent their last seq (a worker without senders: at once)
    master → all     SENDING_OVER  every worker's senders are done: the CPU window closes
    worker → master  SENT          its senders' sent and acks maps (once acked, or the ack wait is over)
    master → all     ACCEPTED      [seq, sender] of every accepted message of the cell
    worker → master  RECEIVED      receipts, latency histogram, deliveries/s (once drained, or the wait is over)

Then the master quits the Locust runner, which ends the workers' runners.
"""
SHARE = "im_load_share"
CONNECTED = "im_load_connected"
GO = "im_load_go"
SENDERS_DONE = "im_load_senders_done"
SENDING_OVER = "im_load_sending_over"
SENT = "im_load_sent"
ACCEPTED = "im_load_accepted"
RECEIVED = "im_load_received"

TO_MASTER = (CONNECTED, SENDERS_DONE, SENT, RECEIVED)
REPORTED = {CONNECTED: "its logins", SENDERS_DONE: "the end of its sending", SENT: "its sent and acks",
            RECEIVED: "its receipts"}

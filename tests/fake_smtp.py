"""A tiny real SMTP server for the fault tests: it accepts, refuses or hangs."""

import socket
import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        if server.mode == "hang":
            server.hung.set()
            server.release.wait(60)  # say nothing: the client must give up first
            return
        self.reply("220 smtp.test ESMTP")
        data_mode, lines = False, []
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data_mode:
                if line == ".":
                    data_mode = False
                    server.messages.append("\n".join(lines))
                    lines = []
                    self.reply("250 OK queued")
                else:
                    lines.append(line)
                continue
            command = line[:4].upper()
            if command in ("EHLO", "HELO"):
                self.reply("250 smtp.test")
            elif command == "RCPT" and server.mode == "refuse":
                self.reply("550 5.1.1 mailbox unavailable")
            elif command == "DATA":
                data_mode = True
                self.reply("354 go ahead")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")

    def reply(self, text):
        self.wfile.write(f"{text}\r\n".encode())


class FakeSmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode="accept"):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.messages = []
        self.hung = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.shutdown()
        self.server_close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

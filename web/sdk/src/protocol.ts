// Kefu wire protocol v1 (see docs/protocol.md). Unknown fields are tolerated everywhere:
// the server may add optional fields and new frame types without a version bump.

export const SUBPROTOCOL = 'kefu.v1';

export type Role = 'visitor' | 'agent';
export type ConversationStatus = 'bot' | 'queued' | 'open' | 'closed';
export type SenderType = 'visitor' | 'agent' | 'bot' | 'system';
export type MessageKind =
  | 'text' | 'image' | 'file' | 'voice' | 'card' | 'quickReplies' | 'event' | 'hidden'
  | (string & {});

export interface Participant { id: string; name?: string | null }
export interface Sender { type: SenderType; id: string; name?: string | null }

export interface Attachment {
  id: string; name: string; size: number; contentType: string; url: string;
  width?: number; height?: number; thumbnailUrl?: string; durationSeconds?: number;
}

/** What a send carries for `image`, `file` and `voice`: a completed upload of the sender's own. */
export interface AttachmentRef { id: string; durationSeconds?: number }

/** Local facts about a file being sent, for showing it before the server's `message` arrives. */
export interface LocalFile { name: string; size: number; contentType: string }

export interface PageContext {
  pageUrl?: string; referrer?: string; title?: string; locale?: string;
  [key: string]: unknown;
}

export interface ResumePoint { conversationId: string; afterSeq: number }

export interface ConversationSummary {
  conversationId: string;
  status: ConversationStatus;
  lastSeq: number;
  assignee?: Participant | null;
  readSeq: number;
  peerReadSeq: number;
  peerDeliveredSeq: number;
}

export interface Limits { maxTextLength: number; sendsPer10Seconds: number; maxFrameBytes: number }

// ---- server to client ----
export interface WelcomeFrame {
  type: 'welcome'; rid: string; sessionId: string; role: Role; userId: string; serverTime: string;
  heartbeatSeconds: number; limits: Limits; conversations: ConversationSummary[];
}
export interface AckFrame {
  type: 'ack'; rid?: string; clientMsgId: string; conversationId: string; msgId: string; seq: number; createdAt: string;
}
export interface Message {
  conversationId: string; seq: number; msgId: string; clientMsgId?: string | null; sender?: Sender | null;
  kind: MessageKind; text?: string | null; attachment?: Attachment | null; meta?: Record<string, unknown> | null;
  createdAt?: string | null;
}
export interface MessageFrame extends Message { type: 'message' }
export interface MessagesFrame { type: 'messages'; rid?: string; conversationId: string; items: Message[]; hasMore: boolean }
export interface ConversationFrame {
  type: 'conversation'; conversationId: string; status: ConversationStatus; lastSeq: number;
  assignee?: Participant | null; team?: string | null; queuePosition?: number | null; estimatedWaitSeconds?: number | null;
}
export interface ReceiptFrame { type: 'receipt'; conversationId: string; userId: string; kind: 'delivered' | 'read'; seq: number }
export interface TypingFrame { type: 'typing'; conversationId: string; userId: string; active: boolean }
export interface PageFrame { type: 'page'; conversationId?: string; visitorId?: string; context: PageContext }
export interface PongFrame { type: 'pong'; rid?: string; serverTime: string }
export interface ErrorFrame { type: 'error'; rid?: string; code: ErrorCode; message: string }

export type ErrorCode =
  | 'bad_frame' | 'unknown_type' | 'unauthorized' | 'forbidden' | 'not_found' | 'too_large'
  | 'rate_limited' | 'conflict' | 'unavailable' | 'internal' | (string & {});

export type ServerFrame =
  | WelcomeFrame | AckFrame | MessageFrame | MessagesFrame | ConversationFrame | ReceiptFrame
  | TypingFrame | PageFrame | PongFrame | ErrorFrame;

// ---- client to server ----
export interface SendInput {
  conversationId?: string;
  kind?: MessageKind;
  text?: string;
  attachment?: AttachmentRef;
  meta?: Record<string, unknown>;
  /** The idempotency key; generated when omitted. */
  clientMsgId?: string;
  /** Not sent: shown in the pending bubble. */
  file?: LocalFile;
}

export const CloseCodes = {
  GoingAway: 1001,
  ProtocolViolation: 4400,
  BadToken: 4401,
  Forbidden: 4403,
  HelloTimeout: 4408,
  RateLimited: 4429,
} as const;

/** Error codes after which retrying the same send cannot succeed. */
export const PERMANENT_SEND_ERRORS: ReadonlySet<string> = new Set([
  'bad_frame', 'unknown_type', 'forbidden', 'not_found', 'too_large', 'conflict',
]);

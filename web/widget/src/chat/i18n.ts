const en = {
  title: 'Chat with us',
  message: 'Message',
  send: 'Send',
  emoji: 'Emoji',
  close: 'Close chat',
  reconnecting: 'Reconnecting…',
  connecting: 'Connecting…',
  typing: 'Agent is typing…',
  queue: (pos: number, wait?: number | null) =>
    `You are number ${pos} in the queue` + (wait ? `, expected wait about ${Math.max(1, Math.round(wait / 60))} min` : ''),
  queued: 'Waiting for an agent…',
  serving: (name: string) => `${name} is here to help`,
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
  unsupported: '[Unsupported message]',
  closed: 'The conversation has ended. Write to start a new one.',
  assigned: (name: string) => `${name} joined the conversation`,
  event: 'Conversation updated',
  loadingOlder: 'Loading earlier messages…',
  you: 'You',
  agent: 'Agent',
  attachment: 'Attachment',
};
export type Texts = typeof en;

const zh: Texts = {
  title: '在线客服',
  message: '消息',
  send: '发送',
  emoji: '表情',
  close: '关闭在线客服',
  reconnecting: '正在重新连接…',
  connecting: '正在连接…',
  typing: '客服正在输入…',
  queue: (pos, wait) => `您前面还有 ${Math.max(0, pos - 1)} 人，当前排第 ${pos} 位` + (wait ? `，预计等待约 ${Math.max(1, Math.round(wait / 60))} 分钟` : ''),
  queued: '正在为您接入客服…',
  serving: (name) => `${name} 为您服务`,
  sending: '发送中',
  sent: '已发送',
  delivered: '已送达',
  read: '已读',
  failed: '发送失败',
  unsupported: '[暂不支持的消息类型]',
  closed: '会话已结束，发送消息可开始新的会话。',
  assigned: (name) => `${name} 已接入会话`,
  event: '会话状态已更新',
  loadingOlder: '正在加载更早的消息…',
  you: '我',
  agent: '客服',
  attachment: '附件',
};

export function texts(lang: string | null | undefined): { t: Texts; lang: string } {
  const zhLang = (lang || navigator.language || '').toLowerCase().startsWith('zh');
  return zhLang ? { t: zh, lang: 'zh-CN' } : { t: en, lang: 'en' };
}

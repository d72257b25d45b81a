import { ref } from 'vue';

const en = {
  appTitle: 'Kefu Console',
  username: 'Username',
  password: 'Password',
  login: 'Log in',
  loginFailed: 'Wrong username or password.',
  throttled: 'Too many attempts. Please wait a moment.',
  networkError: 'Cannot reach the server.',
  logout: 'Log out',
  language: 'Language',
  queued: 'Queued',
  mine: 'Mine',
  open: 'All open',
  conversations: 'Conversations',
  noConversations: 'No conversations',
  message: 'Message',
  send: 'Send',
  emoji: 'Emoji',
  claim: 'Claim',
  close: 'Close conversation',
  reopen: 'Reopen',
  claimTaken: 'Another agent already took this conversation.',
  reconnecting: 'Connection lost. Reconnecting…',
  typing: 'Visitor is typing…',
  selectConversation: 'Select a conversation',
  visitor: 'Visitor',
  name: 'Name',
  email: 'Email',
  externalId: 'User ID',
  currentPage: 'Current page',
  referrer: 'Referrer',
  userAgent: 'User agent',
  ip: 'IP',
  firstSeen: 'First seen',
  pastConversations: 'Conversations',
  anonymous: 'Visitor',
  unread: 'unread',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
  sound: 'Sound',
  enableNotifications: 'Desktop notifications',
  newConversation: 'New conversation',
  newMessage: 'New message',
  unsupported: '[Unsupported message]',
  closedBanner: 'This conversation is closed.',
  status_bot: 'Bot', status_queued: 'Queued', status_open: 'Open', status_closed: 'Closed',
  assignedTo: 'Assigned to',
  loadOlder: 'Loading earlier messages…',
  event_assigned: '{name} joined the conversation',
  event_transferred: 'Transferred to {name}',
  event_closed: 'Conversation closed',
  event_reopened: 'Conversation reopened',
  event_queued: 'Waiting in the queue',
  event_unassigned: 'Back in the queue',
  event_inactivityWarning: 'Will close soon for inactivity',
  event_outsideBusinessHours: 'Started outside business hours',
  event_agentsAway: 'No agent was online',
  event_other: 'Conversation updated',
};
export type Key = keyof typeof en;

const zh: Record<Key, string> = {
  appTitle: 'Kefu 客服工作台',
  username: '用户名',
  password: '密码',
  login: '登录',
  loginFailed: '用户名或密码错误。',
  throttled: '尝试次数过多，请稍后再试。',
  networkError: '无法连接服务器。',
  logout: '退出登录',
  language: '语言',
  queued: '排队中',
  mine: '我的',
  open: '全部进行中',
  conversations: '会话',
  noConversations: '暂无会话',
  message: '消息',
  send: '发送',
  emoji: '表情',
  claim: '接入',
  close: '结束会话',
  reopen: '重新打开',
  claimTaken: '该会话已被其他客服接入。',
  reconnecting: '连接已断开，正在重新连接…',
  typing: '访客正在输入…',
  selectConversation: '请选择一个会话',
  visitor: '访客',
  name: '姓名',
  email: '邮箱',
  externalId: '用户 ID',
  currentPage: '当前页面',
  referrer: '来源',
  userAgent: '浏览器',
  ip: 'IP',
  firstSeen: '首次访问',
  pastConversations: '历史会话',
  anonymous: '访客',
  unread: '未读',
  sending: '发送中',
  sent: '已发送',
  delivered: '已送达',
  read: '已读',
  failed: '发送失败',
  sound: '声音',
  enableNotifications: '桌面通知',
  newConversation: '新会话',
  newMessage: '新消息',
  unsupported: '[暂不支持的消息类型]',
  closedBanner: '该会话已结束。',
  status_bot: '机器人', status_queued: '排队中', status_open: '进行中', status_closed: '已结束',
  assignedTo: '接待客服',
  loadOlder: '正在加载更早的消息…',
  event_assigned: '{name} 已接入会话',
  event_transferred: '会话已转接给 {name}',
  event_closed: '会话已结束',
  event_reopened: '会话已重新打开',
  event_queued: '正在排队',
  event_unassigned: '会话已退回队列',
  event_inactivityWarning: '会话长时间无消息，即将自动结束',
  event_outsideBusinessHours: '会话发起于非工作时间',
  event_agentsAway: '当时没有在线客服',
  event_other: '会话状态已更新',
};

const saved = (() => { try { return localStorage.getItem('kefu.console.lang'); } catch { return null; } })();
export const lang = ref<'en' | 'zh-CN'>(
  saved === 'en' || saved === 'zh-CN' ? saved : navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

export function setLang(value: 'en' | 'zh-CN'): void {
  lang.value = value;
  document.documentElement.lang = value;
  try { localStorage.setItem('kefu.console.lang', value); } catch { /* ignore */ }
}
document.documentElement.lang = lang.value;

export function t(key: Key): string {
  return (lang.value === 'zh-CN' ? zh : en)[key];
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(lang.value);
}

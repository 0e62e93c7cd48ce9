export {
  type MailAttachment,
  type MailDelivery,
  type Mailer,
  type MailMessage,
  mailerFromEnv,
  outboxMailer,
  smtpMailer,
} from "./mailer";

export * from './notification.service-definition';
export * from './order.service-definition';
export * from './payment.service-definition';
export * from './service-definition';
export * from './service-registry';

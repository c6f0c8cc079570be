import { App } from 'aws-cdk-lib';
import { addMadadStack } from './madad-app.js';

addMadadStack(new App());
